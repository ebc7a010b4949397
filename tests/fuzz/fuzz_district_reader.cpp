// libFuzzer target for the district profile reader and the schools CSV reader it leads to. The input is
// split at its first NUL byte: the district profile JSON before, the schools CSV after (written as
// schools.csv next to it, so a profile naming "schools.csv" reads it). Any input must be read or rejected
// with diagnostics, never crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include <unistd.h>

#include "common/diagnostics.hpp"
#include "population/schools_csv.hpp"
#include "scenario/scenario_reader.hpp"

namespace {

const std::filesystem::path& scratch_folder() {
    static const std::filesystem::path folder = [] {
        auto path = std::filesystem::temp_directory_path() / ("pathways-fuzz-district-" + std::to_string(::getpid()));
        std::filesystem::create_directories(path);
        return path;
    }();
    return folder;
}

void write_file(const std::filesystem::path& path, std::string_view text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t split = input.find('\0');
    const std::string_view profile = input.substr(0, split);
    const std::string_view csv = split == std::string_view::npos ? std::string_view() : input.substr(split + 1);

    // The CSV reader on its own, from memory.
    pathways::diagnostics csv_found;
    (void)pathways::read_schools_csv_text(csv, "fuzz.csv", csv_found);
    for (const auto& item : csv_found.items()) (void)pathways::format_diagnostic(item);

    // The district reader, through files, as the CLI reads them.
    const std::filesystem::path folder = scratch_folder();
    write_file(folder / "district.json", profile);
    write_file(folder / "schools.csv", csv);
    pathways::diagnostics found;
    const auto district = pathways::read_district(folder / "district.json", found);
    if (!district && !found.has_errors()) __builtin_trap();  // a rejection must always say why
    if (district && std::filesystem::is_regular_file(district->schools_csv)) {
        (void)pathways::read_schools_csv(district->schools_csv, found);
    }
    for (const auto& item : found.items()) (void)pathways::format_diagnostic(item);
    return 0;
}
