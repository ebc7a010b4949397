#pragma once
/// \file
/// Output files written all-or-nothing (RELIABILITY.md items 20–21): each is written to a temp
/// file beside its final path and fsynced; only when every file is staged are they renamed into
/// place. Whatever was not committed is removed, so a failed or interrupted run leaves no file.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace pathways {

class output_set {
public:
    /// Files go into `folder` (created if missing); existing files are replaced only with `force`.
    output_set(std::filesystem::path folder, bool force);
    ~output_set();
    output_set(const output_set&) = delete;
    output_set& operator=(const output_set&) = delete;

    /// Names among `names` that exist already and would need --force; check before long work.
    [[nodiscard]] std::vector<std::string> conflicts(const std::vector<std::string>& names) const;

    /// Writes `content` to a temp file for `name`; throws std::runtime_error on I/O failure.
    void stage(const std::string& name, std::string_view content);

    /// Renames every staged file into place, in the order staged (stage the manifest last).
    void commit();

    /// Removes every staged temp file that was not committed.
    void discard();

    [[nodiscard]] const std::filesystem::path& folder() const { return folder_; }

private:
    struct staged {
        std::filesystem::path temp;
        std::filesystem::path final_path;
    };
    std::filesystem::path folder_;
    bool force_ = false;
    std::vector<staged> staged_;
};

/// Writes one file atomically (temp, fsync, rename); throws std::runtime_error on failure.
void write_file_atomically(const std::filesystem::path& path, std::string_view content, bool force);

}  // namespace pathways
