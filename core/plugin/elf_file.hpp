#pragma once
/// \file
/// Reading what the loader needs from a plugin file's bytes, without loading it.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace pathways {

/// Largest plugin file the loader reads (a shipped plugin is well under 1 MiB).
inline constexpr std::uintmax_t max_plugin_file_bytes = std::uintmax_t{256} << 20;

/// What a plugin file says about itself, from its ELF structure.
struct elf_plugin_facts {
    bool has_metadata = false;           ///< it has a `.pathways_meta` section
    std::vector<std::uint8_t> metadata;  ///< that section's bytes
    bool exports_entry = false;          ///< its dynamic symbol table defines the SDK's entry symbol
};

/// Reads `path` into memory (never mapping it, so a file that shrinks meanwhile cannot fault) and checks
/// that it is a complete 64-bit ELF shared library for this machine: header, program and section header
/// tables, every loadable segment and every section with file contents inside the file, the section-name
/// and dynamic string tables terminated, every name offset inside its table. Only then does it look up the
/// metadata section and the entry symbol. On failure `problem` says what is wrong, e.g. "truncated or
/// corrupt file: section 27 (bytes 14100 to 14400) ends past the end of the file (6000 bytes); expected a
/// complete ELF shared library", and the result is empty. Never throws but std::bad_alloc.
std::optional<elf_plugin_facts> read_elf_plugin(const std::filesystem::path& path, std::string& problem);

}  // namespace pathways
