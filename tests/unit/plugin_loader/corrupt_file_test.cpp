// Truncated, corrupt and foreign plugin files: refused by name, never loaded, never a crash
// (before, `head -c 6000 libpathways_linear.so > libpathways_x.so` killed every command with SIGBUS).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <elf.h>

#include <catch2/catch.hpp>

#include "fixture_support.hpp"
#include "plugin/elf_file.hpp"
#include "plugin/registry.hpp"

using namespace pathways;
using Catch::Matchers::StartsWith;
using pathways::testing::only;
using pathways::testing::temp_folder;
namespace fs = std::filesystem;

namespace {

fs::path shipped_plugin(const std::string& name) {
    return fs::path(PATHWAYS_PLUGIN_BUILD_DIR) / ("libpathways_" + name + ".so");
}

std::vector<char> read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const fs::path& path, const std::vector<char>& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

/// Discovers `bytes` written as libpathways_x.so (next to a good copy of linear) and returns the problems.
std::vector<std::string> problems_with(const std::vector<char>& bytes) {
    const temp_folder folder;
    write_bytes(folder.path() / "libpathways_x.so", bytes);
    fs::copy_file(shipped_plugin("linear"), folder.path() / "libpathways_linear.so");
    diagnostics found;
    const plugin_registry registry = plugin_registry::discover(only({folder.path()}), found);
    CHECK(registry.find("linear") != nullptr);  // a broken neighbour never stops a good plugin
    for (const model_handle& model : registry.models()) CHECK_FALSE(model.library->load_attempted());
    return pathways::testing::messages(found);
}

template <class T>
void put(std::vector<char>& bytes, std::size_t offset, T value) {
    std::memcpy(bytes.data() + offset, &value, sizeof value);
}

}  // namespace

TEST_CASE("a truncated plugin is refused by name, and the other plugins still work") {
    std::vector<char> bytes = read_bytes(shipped_plugin("linear"));
    REQUIRE(bytes.size() > 6000);
    bytes.resize(6000);
    const std::vector<std::string> problems = problems_with(bytes);
    REQUIRE(problems.size() == 1);
    CHECK_THAT(problems.front(), StartsWith("plugin 'libpathways_x.so': truncated or corrupt file: ") &&
                                     Catch::Matchers::Contains("ends past the end of the file (6000 bytes); "
                                                               "expected a complete ELF shared library"));
}

TEST_CASE("every truncation of a plugin is refused, never a crash") {
    const std::vector<char> whole = read_bytes(shipped_plugin("linear"));
    // Every length up to the ELF header, then every 61st byte (a prime step, so lengths land inside each
    // table and at odd offsets), then the last bytes.
    std::vector<std::size_t> lengths;
    for (std::size_t n = 0; n < 80; ++n) lengths.push_back(n);
    for (std::size_t n = 80; n < whole.size(); n += 61) lengths.push_back(n);
    for (std::size_t n = whole.size() - 8; n < whole.size(); ++n) lengths.push_back(n);
    for (const std::size_t length : lengths) {
        const std::vector<char> part(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(length));
        const temp_folder folder;
        write_bytes(folder.path() / "libpathways_x.so", part);
        std::string problem;
        const auto facts = read_elf_plugin(folder.path() / "libpathways_x.so", problem);
        INFO("length " << length);
        CHECK_FALSE(facts.has_value());
        CHECK_FALSE(problem.empty());
    }
}

TEST_CASE("corrupt ELF headers and tables are refused with what is wrong") {
    const std::vector<char> whole = read_bytes(shipped_plugin("linear"));
    Elf64_Ehdr header;
    std::memcpy(&header, whole.data(), sizeof header);
    const std::string prefix = "plugin 'libpathways_x.so': ";

    SECTION("empty file") {
        CHECK(problems_with({}) ==
              std::vector<std::string>{prefix + "truncated or corrupt file: 0 bytes, shorter than an ELF header; "
                                                "expected a complete ELF shared library"});
    }
    SECTION("not ELF") {
        std::vector<char> bytes = whole;
        bytes[1] = 'X';
        CHECK(problems_with(bytes) == std::vector<std::string>{prefix + "not an ELF file; expected a shared library"});
    }
    SECTION("section header table past the end") {
        std::vector<char> bytes = whole;
        put<std::uint64_t>(bytes, offsetof(Elf64_Ehdr, e_shoff), 0xfffffffffffff000u);
        const auto problems = problems_with(bytes);
        REQUIRE(problems.size() == 1);
        CHECK_THAT(problems.front(), StartsWith(prefix + "truncated or corrupt file: section header table (bytes "));
    }
    SECTION("section name index out of range") {
        std::vector<char> bytes = whole;
        put<std::uint16_t>(bytes, offsetof(Elf64_Ehdr, e_shstrndx), header.e_shnum);
        CHECK(problems_with(bytes) == std::vector<std::string>{prefix + "truncated or corrupt file: no usable section "
                                                                        "header table; expected a complete ELF "
                                                                        "shared library"});
    }
    SECTION("a section's contents past the end") {
        std::vector<char> bytes = whole;
        const std::size_t last = header.e_shoff + (header.e_shnum - 1u) * sizeof(Elf64_Shdr);
        put<std::uint64_t>(bytes, last + offsetof(Elf64_Shdr, sh_size), 1u << 30);
        const auto problems = problems_with(bytes);
        REQUIRE(problems.size() == 1);
        CHECK_THAT(problems.front(), StartsWith(prefix + "truncated or corrupt file: section " +
                                                std::to_string(header.e_shnum - 1) + " (bytes "));
    }
    SECTION("an executable, not a shared library") {
        std::vector<char> bytes = whole;
        put<std::uint16_t>(bytes, offsetof(Elf64_Ehdr, e_type), ET_EXEC);
        CHECK(problems_with(bytes) == std::vector<std::string>{prefix + "ELF type 2 is not a shared library (3)"});
    }
}

TEST_CASE("single corrupted bytes anywhere in a plugin never crash the reader") {
    const std::vector<char> whole = read_bytes(shipped_plugin("linear"));
    const temp_folder folder;
    const fs::path path = folder.path() / "libpathways_x.so";
    // Every 13th byte of the headers and tables set to 0xff: offsets and sizes become huge.
    for (std::size_t at = 0; at < whole.size(); at += 13) {
        std::vector<char> bytes = whole;
        bytes[at] = static_cast<char>(0xff);
        write_bytes(path, bytes);
        std::string problem;
        const auto facts = read_elf_plugin(path, problem);
        CHECK(facts.has_value() == problem.empty());
    }
}
