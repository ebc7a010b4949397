#pragma once
/// \file
/// SHA-256 (FIPS 180-4), for the manifest's hashes of inputs and plugins.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace pathways {

/// Lowercase hex digest of `data`.
std::string sha256_hex(std::string_view data);

/// Digest of a file's bytes; nullopt when it cannot be read.
std::optional<std::string> sha256_file(const std::filesystem::path& path);

}  // namespace pathways
