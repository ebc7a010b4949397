// The build fingerprint names what changes the SDK's binary interface (C++ ABI family, processor and
// pointer size, standard library) and nothing a plugin author's build type or library versions change.
#ifndef NDEBUG
#define NDEBUG 1
#endif
#include <string>

#include <catch2/catch.hpp>

#include "pathways/sdk/build_config.hpp"

namespace pathways::test {
const char* fingerprint_without_ndebug();
}

TEST_CASE("the build fingerprint is the same with and without NDEBUG", "[plugin][fingerprint]") {
    CHECK(std::string(pathways::test::fingerprint_without_ndebug()) == PATHWAYS_BUILD_FINGERPRINT);
}

TEST_CASE("the build fingerprint names the C++ ABI, processor, pointer size and standard library only",
          "[plugin][fingerprint]") {
#if defined(__x86_64__) && !defined(__ILP32__) && defined(__GLIBCXX__) && defined(__GXX_ABI_VERSION)
    CHECK(std::string(PATHWAYS_BUILD_FINGERPRINT) == "cxxabi=itanium;arch=x86_64;pointer=8;stdlib=libstdc++");
#else
    SUCCEED("not an x86-64 libstdc++ build: the expected fingerprint here is hand-written for that one");
#endif
    const std::string fingerprint = PATHWAYS_BUILD_FINGERPRINT;
    for (const char* pinned_before : {"boost", "eigen", "debug", "gcc-", "clang-"}) {
        CHECK(fingerprint.find(pinned_before) == std::string::npos);
    }
}
