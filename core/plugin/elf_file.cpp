#include "plugin/elf_file.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <fstream>
#include <span>
#include <string_view>
#include <system_error>

#include <elf.h>

#include "pathways/sdk/effect_model.hpp"

namespace pathways {

namespace {

#if defined(__x86_64__)
constexpr std::uint16_t host_machine = EM_X86_64;
#elif defined(__aarch64__)
constexpr std::uint16_t host_machine = EM_AARCH64;
#else
#error "pathways: add this architecture's ELF machine code"
#endif

constexpr unsigned char host_data_encoding = std::endian::native == std::endian::little ? ELFDATA2LSB : ELFDATA2MSB;
constexpr std::string_view corrupt = "truncated or corrupt file: ";
constexpr std::string_view expected_library = "; expected a complete ELF shared library";

std::string range_text(std::uint64_t offset, std::uint64_t size) {
    return "bytes " + std::to_string(offset) + " to " + std::to_string(offset + size);
}

/// Bounds-checked access to the bytes of one file; every read is checked against its size first.
class elf_bytes {
public:
    explicit elf_bytes(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

    [[nodiscard]] std::uint64_t size() const { return bytes_.size(); }

    /// True when `count` items of `item_size` bytes starting at `offset` lie inside the file.
    [[nodiscard]] bool fits(std::uint64_t offset, std::uint64_t count, std::uint64_t item_size) const {
        if (item_size != 0 && count > size() / item_size) return false;
        const std::uint64_t length = count * item_size;
        return offset <= size() && length <= size() - offset;
    }

    template <class T>
    [[nodiscard]] T read(std::uint64_t offset) const {
        T value;
        std::memcpy(&value, bytes_.data() + offset, sizeof value);
        return value;
    }

    [[nodiscard]] std::span<const std::uint8_t> slice(std::uint64_t offset, std::uint64_t length) const {
        return bytes_.subspan(offset, length);
    }

    /// "ends past the end of the file" text for a range that does not fit.
    [[nodiscard]] std::string past_end(std::string_view what, std::uint64_t offset, std::uint64_t length) const {
        return std::string(corrupt) + std::string(what) + " (" + range_text(offset, length) +
               ") ends past the end of the file (" + std::to_string(size()) + " bytes)" + std::string(expected_library);
    }

private:
    std::span<const std::uint8_t> bytes_;
};

std::optional<std::vector<std::uint8_t>> read_bytes(const std::filesystem::path& path, std::string& problem) {
    std::error_code error;
    const std::uintmax_t size = std::filesystem::file_size(path, error);
    if (error) {
        problem = "cannot read the file: " + error.message();
        return std::nullopt;
    }
    if (size > max_plugin_file_bytes) {
        problem = "the file has " + std::to_string(size) + " bytes, more than the " +
                  std::to_string(max_plugin_file_bytes >> 20) + " MiB a plugin may have";
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!in && !in.eof()) {
        problem = "cannot read the file";
        return std::nullopt;
    }
    bytes.resize(static_cast<std::size_t>(in.gcount()));  // the file may have shrunk since file_size
    return bytes;
}

std::string header_problem(const elf_bytes& file, const Elf64_Ehdr& header) {
    if (std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0) return "not an ELF file; expected a shared library";
    if (header.e_ident[EI_CLASS] != ELFCLASS64) return "not a 64-bit ELF file; expected a 64-bit shared library";
    if (header.e_ident[EI_DATA] != host_data_encoding) return "ELF byte order differs from this machine's";
    if (header.e_type != ET_DYN) {
        return "ELF type " + std::to_string(header.e_type) + " is not a shared library (" + std::to_string(ET_DYN) +
               ")";
    }
    if (header.e_machine != host_machine) {
        return "built for ELF machine " + std::to_string(header.e_machine) + ", this machine is " +
               std::to_string(host_machine);
    }
    if (header.e_shentsize != sizeof(Elf64_Shdr) || (header.e_phnum != 0 && header.e_phentsize != sizeof(Elf64_Phdr))) {
        return std::string(corrupt) + "unexpected ELF table entry sizes" + std::string(expected_library);
    }
    if (header.e_shnum == 0 || header.e_shstrndx >= header.e_shnum) {
        return std::string(corrupt) + "no usable section header table" + std::string(expected_library);
    }
    if (!file.fits(header.e_shoff, header.e_shnum, sizeof(Elf64_Shdr))) {
        return file.past_end("section header table", header.e_shoff,
                             std::uint64_t{header.e_shnum} * sizeof(Elf64_Shdr));
    }
    if (!file.fits(header.e_phoff, header.e_phnum, sizeof(Elf64_Phdr))) {
        return file.past_end("program header table", header.e_phoff,
                             std::uint64_t{header.e_phnum} * sizeof(Elf64_Phdr));
    }
    return {};
}

std::string segments_problem(const elf_bytes& file, const Elf64_Ehdr& header) {
    for (std::uint64_t i = 0; i < header.e_phnum; ++i) {
        const auto segment = file.read<Elf64_Phdr>(header.e_phoff + i * sizeof(Elf64_Phdr));
        if (segment.p_type == PT_LOAD && !file.fits(segment.p_offset, segment.p_filesz, 1)) {
            return file.past_end("loadable segment " + std::to_string(i), segment.p_offset, segment.p_filesz);
        }
    }
    return {};
}

bool is_terminated_table(const elf_bytes& file, const Elf64_Shdr& section) {
    return section.sh_type == SHT_STRTAB && section.sh_size > 0 &&
           file.read<std::uint8_t>(section.sh_offset + section.sh_size - 1) == 0;
}

/// A plugin's section headers, already checked to lie inside the file.
class section_table {
public:
    section_table(const elf_bytes& file, const Elf64_Ehdr& header) : file_(file) {
        for (std::uint64_t i = 0; i < header.e_shnum; ++i) {
            sections_.push_back(file.read<Elf64_Shdr>(header.e_shoff + i * sizeof(Elf64_Shdr)));
        }
        names_index_ = header.e_shstrndx;
    }

    /// Every section with file contents inside the file, the name table terminated, every name in it.
    [[nodiscard]] std::string problem() const {
        for (std::size_t i = 0; i < sections_.size(); ++i) {
            const Elf64_Shdr& s = sections_[i];
            if (s.sh_type != SHT_NOBITS && s.sh_type != SHT_NULL && !file_.fits(s.sh_offset, s.sh_size, 1)) {
                return file_.past_end("section " + std::to_string(i), s.sh_offset, s.sh_size);
            }
        }
        const Elf64_Shdr& names = sections_[names_index_];
        if (!is_terminated_table(file_, names)) {
            return std::string(corrupt) + "the section name table is not a terminated string table" +
                   std::string(expected_library);
        }
        for (const Elf64_Shdr& s : sections_) {
            if (s.sh_name >= names.sh_size) {
                return std::string(corrupt) + "a section name lies outside the section name table" +
                       std::string(expected_library);
            }
        }
        return {};
    }

    [[nodiscard]] const Elf64_Shdr* named(std::string_view name) const {
        const Elf64_Shdr& names = sections_[names_index_];
        for (const Elf64_Shdr& s : sections_) {
            if (string_at(names, s.sh_name) == name) return &s;
        }
        return nullptr;
    }

    /// True when the dynamic symbol table defines `symbol` as a global, default-visibility symbol; sets
    /// `problem` when that table or its string table is malformed.
    bool exports(std::string_view symbol, std::string& problem) const {
        for (const Elf64_Shdr& s : sections_) {
            if (s.sh_type != SHT_DYNSYM) continue;
            if (s.sh_entsize != sizeof(Elf64_Sym) || s.sh_link >= sections_.size() ||
                !is_terminated_table(file_, sections_[s.sh_link])) {
                problem = std::string(corrupt) + "malformed dynamic symbol table" + std::string(expected_library);
                return false;
            }
            if (table_exports(s, sections_[s.sh_link], symbol, problem)) return true;
        }
        return false;
    }

private:
    [[nodiscard]] std::string_view string_at(const Elf64_Shdr& table, std::uint64_t offset) const {
        // The table ends with a terminator and offset < its size, so strlen stays inside the file.
        const auto* text = reinterpret_cast<const char*>(file_.slice(table.sh_offset + offset, 1).data());
        return {text, std::strlen(text)};
    }

    bool table_exports(const Elf64_Shdr& symbols, const Elf64_Shdr& strings, std::string_view symbol,
                       std::string& problem) const {
        for (std::uint64_t i = 0; i < symbols.sh_size / sizeof(Elf64_Sym); ++i) {
            const auto entry = file_.read<Elf64_Sym>(symbols.sh_offset + i * sizeof(Elf64_Sym));
            if (entry.st_name >= strings.sh_size) {
                problem = std::string(corrupt) + "a symbol name lies outside its string table" +
                          std::string(expected_library);
                return false;
            }
            const unsigned binding = ELF64_ST_BIND(entry.st_info);
            if (entry.st_shndx != SHN_UNDEF && (binding == STB_GLOBAL || binding == STB_WEAK) &&
                ELF64_ST_VISIBILITY(entry.st_other) == STV_DEFAULT && string_at(strings, entry.st_name) == symbol) {
                return true;
            }
        }
        return false;
    }

    const elf_bytes& file_;
    std::vector<Elf64_Shdr> sections_;
    std::size_t names_index_ = 0;
};

}  // namespace

std::optional<elf_plugin_facts> read_elf_plugin(const std::filesystem::path& path, std::string& problem) {
    const auto bytes = read_bytes(path, problem);
    if (!bytes) return std::nullopt;
    const elf_bytes file(*bytes);
    if (!bytes->empty() && std::memcmp(bytes->data(), ELFMAG, std::min<std::size_t>(bytes->size(), SELFMAG)) != 0) {
        problem = "not an ELF file; expected a shared library";
        return std::nullopt;
    }
    if (!file.fits(0, 1, sizeof(Elf64_Ehdr))) {
        problem = std::string(corrupt) + std::to_string(file.size()) + " bytes, shorter than an ELF header" +
                  std::string(expected_library);
        return std::nullopt;
    }
    const auto header = file.read<Elf64_Ehdr>(0);
    problem = header_problem(file, header);
    if (problem.empty()) problem = segments_problem(file, header);
    if (!problem.empty()) return std::nullopt;
    const section_table sections(file, header);
    problem = sections.problem();
    if (!problem.empty()) return std::nullopt;

    elf_plugin_facts facts;
    if (const Elf64_Shdr* metadata = sections.named(sdk::metadata::section_name)) {
        if (metadata->sh_type == SHT_NOBITS) {
            problem = "the metadata section has no contents; expected a record written by PATHWAYS_EFFECT_PLUGIN";
            return std::nullopt;
        }
        const auto contents = file.slice(metadata->sh_offset, metadata->sh_size);
        facts.has_metadata = true;
        facts.metadata.assign(contents.begin(), contents.end());
    }
    facts.exports_entry = sections.exports(sdk::entry_symbol, problem);
    if (!problem.empty()) return std::nullopt;
    return facts;
}

}  // namespace pathways
