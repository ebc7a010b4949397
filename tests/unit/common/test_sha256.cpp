// SHA-256 against the NIST known answers (FIPS 180-2 examples) and at the lengths where padding
// spills into another block, so a manifest's hashes are the ones any other tool computes.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "common/sha256.hpp"

using pathways::sha256_file;
using pathways::sha256_hex;

TEST_CASE("sha256 gives the FIPS 180-2 known answers", "[sha256]") {
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(sha256_hex(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256 pads correctly on both sides of a block boundary", "[sha256]") {
    // 55 bytes leave room for the length in one block, 56 do not; 64 fill a block exactly (Python's hashlib).
    CHECK(sha256_hex(std::string(55, 'a')) == "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
    CHECK(sha256_hex(std::string(56, 'a')) == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
    CHECK(sha256_hex(std::string(63, 'a')) == "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34");
    CHECK(sha256_hex(std::string(64, 'a')) == "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
    CHECK(sha256_hex(std::string(119, 'a')) == "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb");
    CHECK(sha256_hex(std::string(120, 'a')) == "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c");
}

TEST_CASE("sha256_file hashes a file's bytes, and is empty for a file that cannot be read", "[sha256]") {
    const std::filesystem::path file = std::filesystem::temp_directory_path() / "pathways-test-sha256.bin";
    std::ofstream(file, std::ios::binary) << std::string(100000, 'a') << "abc";
    CHECK(sha256_file(file) == sha256_hex(std::string(100000, 'a') + "abc"));
    std::filesystem::remove(file);
    CHECK_FALSE(sha256_file(file));
}
