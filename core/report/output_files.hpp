#pragma once
/// \file
/// Results folders committed as a whole: written beside their final place and renamed into it, so a
/// failed or interrupted command leaves no partial folder (README "Reliability").
///
/// Every file goes into a temporary folder beside the target, `.NAME.tmp-PID`, and is fsynced; on
/// commit the files of the target that are not rewritten are carried over (hard links), the
/// temporary folder is fsynced and atomically exchanged with the target (renameat2
/// RENAME_EXCHANGE; a plain rename when the target is new), and the old folder is removed. A kill
/// at any point leaves either the old folder or the new one; leftovers of killed runs (their PID
/// no longer alive) are removed by the next run on the same folder.
///
/// One writer per folder: an exclusive flock on `.NAME.lock` beside it, held from construction to
/// destruction. A folder is replaced only when it is new, empty or a results folder of ours (it has
/// a manifest written by pathways); a symbolic link, a device, a FIFO or a socket is never
/// replaced or followed, even with --force.
///
/// Refusals (exists without --force, held by another process, not ours, a link) throw
/// input_error (exit 2); failures of the machine (disk full, read-only, the path is a file) throw
/// environment_error (exit 3) naming the path and the operating system's reason.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace pathways {

/// An exclusive lock on `.NAME.lock` beside `target` (a folder or a file), removed on release.
/// Throws input_error naming the holder's PID when another process holds it.
class output_lock {
public:
    explicit output_lock(const std::filesystem::path& target);
    ~output_lock();
    output_lock(const output_lock&) = delete;
    output_lock& operator=(const output_lock&) = delete;

private:
    std::filesystem::path path_;
    int fd_ = -1;
};

/// `path` made absolute and free of `.`, `..` and a trailing separator, so that its parent and
/// name are the folder that holds it and its own name.
std::filesystem::path output_target(const std::filesystem::path& path);

/// Throws input_error when `path` exists and is a symbolic link or not a regular file: --force
/// replaces only regular files.
void check_replaceable_file(const std::filesystem::path& path);

class output_set {
public:
    /// Takes the folder's lock, removes leftovers of killed runs and checks that `folder` is new,
    /// empty or ours. Files already there are replaced only with `force`.
    output_set(std::filesystem::path folder, bool force);
    ~output_set();
    output_set(const output_set&) = delete;
    output_set& operator=(const output_set&) = delete;

    /// Paths among `names` that exist already and would need --force; check before long work.
    /// Throws input_error for a name that exists and is not a regular file, --force or not.
    [[nodiscard]] std::vector<std::string> conflicts(const std::vector<std::string>& names) const;

    /// Throws input_error naming every one of `names` that exists already and would need --force.
    void refuse_conflicts(const std::vector<std::string>& names) const;

    /// Writes `content` to `name` in the temporary folder and fsyncs it.
    void stage(const std::string& name, std::string_view content);

    /// Writes `content` to `subfolder/name` (one level, both plain names); the subfolder is the new
    /// run's whole: the target's old one is not carried over.
    void stage(const std::string& subfolder, const std::string& name, std::string_view content);

    /// Names of files in the target that belong to what this commit replaces, so they are not carried
    /// over even when this commit does not write them again: a new run drops the old run's report
    /// instead of leaving it beside a projection it does not describe.
    void drop_on_commit(const std::vector<std::string>& names);

    /// Carries over the target's other files (those neither staged nor dropped) and puts the whole
    /// folder in place (stage the manifest last; it is what marks the folder as ours).
    void commit();

    /// Removes the temporary folder.
    void discard();

    /// The folder as the user named it, for messages.
    [[nodiscard]] const std::filesystem::path& folder() const { return folder_; }

private:
    void make_temp();

    std::filesystem::path folder_;
    std::filesystem::path target_;
    std::filesystem::path temp_;
    bool force_ = false;
    output_lock lock_;
    bool temp_made_ = false;
    std::vector<std::string> staged_;
    std::vector<std::string> dropped_;
};

/// Throws input_error with "output exists; use --force to overwrite it" for each of `paths`, when any.
void refuse_existing_outputs(const std::vector<std::string>& paths);

/// Writes one file atomically (temp beside it, fsync, rename) under its lock; with `force` it
/// replaces only a regular file.
void write_file_atomically(const std::filesystem::path& path, std::string_view content, bool force);

/// Removes what killed writers of `target` left beside it (`.NAME.tmp-PID`, with SQLite's `-journal`,
/// `-wal` and `-shm`, and `.NAME.old-PID`, put back when the target is gone) whose process is no longer alive.
void remove_output_leftovers(const std::filesystem::path& target);

/// True when `folder` holds a manifest written by pathways (manifest.json, or that of sweep,
/// sensitivity, monitor or monitor --implementation).
bool is_results_folder(const std::filesystem::path& folder);

}  // namespace pathways
