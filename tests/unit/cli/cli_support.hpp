#pragma once
// Runs the built `pathways` binary the way a user does and captures what it prints.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/csv.hpp"

namespace pathways::test {

struct cli_result {
    int exit_code = -1;
    std::string output;  ///< stdout and stderr together
};

/// The bytes of a file (empty when it cannot be read).
inline std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Runs `pathways ARGS` in `folder` through the shell.
inline cli_result run_cli(const std::string& args, const std::filesystem::path& folder = PATHWAYS_SOURCE_ROOT) {
    const std::string command = "cd '" + folder.string() + "' && '" PATHWAYS_CLI "' " + args + " 2>&1";
    cli_result result;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return result;
    std::array<char, 4096> buffer{};
    while (const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe))
        result.output.append(buffer.data(), n);
    const int status = ::pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

/// A fresh empty folder under the system temp folder, removed when the object goes.
class scratch_folder {
public:
    explicit scratch_folder(const std::string& name)
        : path_(std::filesystem::temp_directory_path() / ("pathways-test-" + name + "-" + std::to_string(::getpid()))) {
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~scratch_folder() { std::filesystem::remove_all(path_); }
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

/// The rows of a CSV that pathways wrote, each keyed by the header's names, read by the project's
/// one CSV reader (quoted fields included). Fails the test on a malformed table.
inline std::vector<std::map<std::string, std::string>> csv_rows(std::string_view text) {
    diagnostics found;
    const std::vector<csv_record> records = parse_csv(text, "<csv>", found);
    REQUIRE(found.items().empty());
    std::vector<std::map<std::string, std::string>> rows;
    if (records.empty()) return rows;
    const std::vector<std::string>& header = records.front().fields;
    for (std::size_t r = 1; r < records.size(); ++r) {
        REQUIRE(records[r].fields.size() == header.size());
        std::map<std::string, std::string> row;
        for (std::size_t c = 0; c < header.size(); ++c) row[header[c]] = records[r].fields[c];
        rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace pathways::test
