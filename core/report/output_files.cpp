#include "report/output_files.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "common/diagnostics.hpp"
#include "common/environment_error.hpp"
#include "common/exit_cleanup.hpp"

namespace pathways {
namespace fs = std::filesystem;
namespace {

/// The operating system's reason for the last failure, with the path it concerns.
environment_error os_error(const fs::path& path, std::string_view what, int error = errno) {
    return environment_error("cannot " + std::string(what) + " '" + path.string() + "': " + std::strerror(error));
}

[[noreturn]] void refuse(const fs::path& path, const std::string& message) {
    diagnostics found;
    found.error(path.string(), 0, 0, "", message);
    throw input_error(found);
}

/// Writes and fsyncs through POSIX calls: std::ofstream cannot fsync, and a rename without it
/// can leave an empty file after a crash. Errors name `shown`, the file's final path.
void write_synced(const fs::path& path, const fs::path& shown, std::string_view content) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) throw os_error(shown, "create");
    std::size_t written = 0;
    while (written < content.size()) {
        const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int error = errno;
            ::close(fd);
            throw os_error(shown, "write", error);
        }
        written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        const int error = errno;
        ::close(fd);
        throw os_error(shown, "sync", error);
    }
    if (::close(fd) != 0) throw os_error(shown, "close");
}

void sync_folder(const fs::path& folder) {
    const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) throw os_error(folder, "open");
    const int rc = ::fsync(fd);
    const int error = errno;
    ::close(fd);
    if (rc != 0 && error != EINVAL)
        throw os_error(folder, "sync", error);  // EINVAL: the file system cannot sync folders
}

void create_parent(const fs::path& target) {
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    if (ec) throw os_error(target.parent_path(), "create the folder", ec.value());
}

/// `.NAME.KIND-PID` beside `target`.
fs::path sibling(const fs::path& target, std::string_view kind, long pid) {
    return target.parent_path() /
           ("." + target.filename().string() + "." + std::string(kind) + "-" + std::to_string(pid));
}

bool process_alive(long pid) { return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM; }

/// Removes `.NAME.tmp-PID` and `.NAME.old-PID` left by killed runs; an old folder whose
/// replacement never arrived is put back.

std::string kind_of(fs::file_type type) {
    switch (type) {
        case fs::file_type::regular: return "a regular file";
        case fs::file_type::directory: return "a folder";
        case fs::file_type::symlink: return "a symbolic link";
        case fs::file_type::block: return "a block device";
        case fs::file_type::character: return "a character device";
        case fs::file_type::fifo: return "a FIFO";
        case fs::file_type::socket: return "a socket";
        default: return "not a regular file";
    }
}

bool is_empty_folder(const fs::path& folder) {
    std::error_code ec;
    return fs::directory_iterator(folder, ec) == fs::directory_iterator();
}

/// A new folder, an empty one or one of ours can be replaced; anything else is refused.
void check_target_folder(const fs::path& target, const fs::path& shown) {
    std::error_code ec;
    const fs::file_status status = fs::symlink_status(target, ec);
    if (!fs::exists(status)) return;
    if (fs::is_symlink(status)) {
        refuse(shown,
               "is a symbolic link; expected a real folder (pathways never writes through a link out of an output "
               "folder)");
    }
    if (!fs::is_directory(status)) {
        throw environment_error("cannot write results into '" + shown.string() + "': " + std::strerror(ENOTDIR) +
                                " (it is " + kind_of(status.type()) + ")");
    }
    if (!is_empty_folder(target) && !is_results_folder(target)) {
        refuse(shown,
               "is a folder that pathways did not write (no manifest.json); expected a new folder, an empty one "
               "or a results folder of pathways");
    }
}

/// Fills `to` with links to every entry of `from` not named in `skip`, so the committed folder
/// keeps the files this run does not rewrite.
void carry_over(const fs::path& from, const fs::path& to, const std::vector<std::string>& skip) {
    for (const fs::directory_entry& entry : fs::directory_iterator(from)) {
        const std::string name = entry.path().filename().string();
        if (std::find(skip.begin(), skip.end(), name) != skip.end()) continue;
        const fs::path destination = to / name;
        const fs::file_status status = entry.symlink_status();
        if (fs::is_regular_file(status)) {
            if (::link(entry.path().c_str(), destination.c_str()) != 0) {
                fs::copy_file(entry.path(), destination);
                const int fd = ::open(destination.c_str(), O_RDONLY | O_CLOEXEC);
                if (fd >= 0) {
                    ::fsync(fd);
                    ::close(fd);
                }
            }
        } else if (fs::is_symlink(status)) {
            fs::copy_symlink(entry.path(), destination);
        } else if (fs::is_directory(status)) {
            fs::create_directory(destination);
            carry_over(entry.path(), destination, {});
            sync_folder(destination);
        } else {
            refuse(entry.path(),
                   "is " + kind_of(status.type()) + "; pathways cannot carry it into the new results folder");
        }
    }
}

/// Puts `temp` at `target` in one step; afterwards `temp` holds the old folder, if any.
void swap_into_place(const fs::path& temp, const fs::path& target, bool replacing) {
    if (!replacing) {
        if (::rename(temp.c_str(), target.c_str()) != 0) throw os_error(target, "move the new folder to");
        return;
    }
    if (::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0) return;
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) throw os_error(target, "exchange the new folder with");
    // No atomic exchange on this file system: move the old folder aside first. A kill between
    // the two renames leaves it at .NAME.old-PID, which the next run puts back.
    const fs::path old = sibling(target, "old", ::getpid());
    register_for_cleanup(old);
    if (::rename(target.c_str(), old.c_str()) != 0) throw os_error(target, "move aside");
    if (::rename(temp.c_str(), target.c_str()) != 0) throw os_error(target, "move the new folder to");
    if (::rename(old.c_str(), temp.c_str()) != 0) throw os_error(old, "remove");
    unregister_for_cleanup(old);
}

}  // namespace

fs::path output_target(const fs::path& path) {
    fs::path target = fs::absolute(path.empty() ? fs::path(".") : path).lexically_normal();
    if (target.filename().empty() && target.has_relative_path()) target = target.parent_path();
    return target;
}

bool is_results_folder(const fs::path& folder) {
    for (const char* name : {"manifest.json", "sweep-manifest.json", "sensitivity-manifest.json",
                             "monitor-manifest.json", "implementation-manifest.json"}) {
        std::error_code ec;
        if (!fs::is_regular_file(fs::symlink_status(folder / name, ec))) continue;
        std::ifstream in(folder / name);
        std::string start(512, '\0');
        in.read(start.data(), static_cast<std::streamsize>(start.size()));
        if (start.find("\"pathways_version\"") != std::string::npos) return true;
    }
    return false;
}

void check_replaceable_file(const fs::path& path) {
    std::error_code ec;
    const fs::file_status status = fs::symlink_status(path, ec);
    if (fs::exists(status) && !fs::is_regular_file(status)) {
        refuse(path,
               "exists and is " + kind_of(status.type()) + "; pathways replaces only regular files, even with --force");
    }
}

output_lock::output_lock(const fs::path& target) {
    const fs::path absolute = output_target(target);
    if (!absolute.has_relative_path()) refuse(target, "is the root folder; expected a folder of its own");
    create_parent(absolute);
    path_ = absolute.parent_path() / ("." + absolute.filename().string() + ".lock");
    for (;;) {
        fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd_ < 0) throw os_error(path_, "create the lock file");
        if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
            const int error = errno;
            char pid[32] = {};
            const ssize_t n = ::pread(fd_, pid, sizeof pid - 1, 0);
            ::close(fd_);
            fd_ = -1;
            if (error != EWOULDBLOCK) throw os_error(path_, "lock", error);
            refuse(target, "is being written by another pathways process (pid " +
                               (n > 0 ? std::string(pid, static_cast<std::size_t>(n)) : "unknown") +
                               "); expected one run per output folder");
        }
        // The previous holder removes the file when it is done; a lock on a removed file guards nothing.
        struct stat held {};
        struct stat named {};
        if (::fstat(fd_, &held) == 0 && ::stat(path_.c_str(), &named) == 0 && held.st_ino == named.st_ino &&
            held.st_dev == named.st_dev)
            break;
        ::close(fd_);
    }
    register_for_cleanup(path_);
    const std::string pid = std::to_string(::getpid());
    if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
        const int error = errno;
        ::unlink(path_.c_str());
        ::close(fd_);
        unregister_for_cleanup(path_);
        throw os_error(path_, "write the lock file", error);
    }
}

output_lock::~output_lock() {
    unregister_for_cleanup(path_);
    ::unlink(path_.c_str());
    ::close(fd_);
}

output_set::output_set(fs::path folder, bool force)
    : folder_(std::move(folder)),
      target_(output_target(folder_)),
      temp_(sibling(target_, "tmp", ::getpid())),
      force_(force),
      lock_(folder_) {
    remove_output_leftovers(target_);
    check_target_folder(target_, folder_);
}

output_set::~output_set() {
    try {
        discard();
    } catch (...) {  // a destructor must not throw; a leftover is removed by the next run
    }
}

std::vector<std::string> output_set::conflicts(const std::vector<std::string>& names) const {
    std::vector<std::string> existing;
    for (const std::string& name : names) {
        std::error_code ec;
        if (!fs::exists(fs::symlink_status(target_ / name, ec))) continue;
        check_replaceable_file(folder_ / name);
        if (!force_) existing.push_back((folder_ / name).string());
    }
    return existing;
}

void output_set::stage(const std::string& name, std::string_view content) {
    if (name.empty() || name.find('/') != std::string::npos || name.front() == '.') {
        throw std::logic_error("output_set::stage: '" + name + "' is not a plain file name");
    }
    if (const auto existing = conflicts({name}); !existing.empty())
        refuse(existing.front(), "output exists; use --force to overwrite it");
    const auto guard = output_guard();
    make_temp();
    write_synced(temp_ / name, folder_ / name, content);
    staged_.push_back(name);
}

void output_set::stage(const std::string& subfolder, const std::string& name, std::string_view content) {
    for (const std::string& part : {subfolder, name}) {
        if (part.empty() || part.find('/') != std::string::npos || part.front() == '.')
            throw std::logic_error("output_set::stage: '" + part + "' is not a plain file name");
    }
    const auto guard = output_guard();
    make_temp();
    const fs::path folder = temp_ / subfolder;
    if (::mkdir(folder.c_str(), 0755) != 0 && errno != EEXIST) throw os_error(folder_ / subfolder, "create");
    write_synced(folder / name, folder_ / subfolder / name, content);
    sync_folder(folder);
    // The subfolder is staged whole: the target's old one is not carried over beside it.
    if (std::find(staged_.begin(), staged_.end(), subfolder) == staged_.end()) staged_.push_back(subfolder);
}

void output_set::make_temp() {
    if (temp_made_) return;
    std::error_code ec;
    fs::remove_all(temp_, ec);
    register_for_cleanup(temp_);
    if (::mkdir(temp_.c_str(), 0755) != 0) throw os_error(folder_, "create a temporary folder beside");
    temp_made_ = true;
}

void refuse_existing_outputs(const std::vector<std::string>& paths) {
    if (paths.empty()) return;
    diagnostics found;
    for (const std::string& path : paths) found.error(path, 0, 0, "", "output exists; use --force to overwrite it");
    throw input_error(found);
}

void output_set::refuse_conflicts(const std::vector<std::string>& names) const {
    refuse_existing_outputs(conflicts(names));
}

void output_set::drop_on_commit(const std::vector<std::string>& names) {
    dropped_.insert(dropped_.end(), names.begin(), names.end());
}

void output_set::commit() {
    if (!temp_made_) return;
    const auto guard = output_guard();
    std::error_code ec;
    const bool replacing = fs::is_directory(fs::symlink_status(target_, ec));
    if (replacing) {
        std::vector<std::string> not_carried = staged_;
        not_carried.insert(not_carried.end(), dropped_.begin(), dropped_.end());
        carry_over(target_, temp_, not_carried);
    }
    sync_folder(temp_);
    swap_into_place(temp_, target_, replacing);
    sync_folder(target_.parent_path());
    fs::remove_all(temp_, ec);  // the old folder, after an exchange
    unregister_for_cleanup(temp_);
    temp_made_ = false;
    staged_.clear();
    dropped_.clear();
}

void output_set::discard() {
    if (!temp_made_) return;
    const auto guard = output_guard();
    std::error_code ec;
    fs::remove_all(temp_, ec);
    unregister_for_cleanup(temp_);
    temp_made_ = false;
    staged_.clear();
}

void remove_output_leftovers(const fs::path& target) {
    const std::string prefix = "." + target.filename().string() + ".";
    std::error_code ec;
    for (const fs::directory_entry& entry : fs::directory_iterator(target.parent_path(), ec)) {
        const std::string name = entry.path().filename().string();
        if (!name.starts_with(prefix)) continue;
        const std::string_view rest = std::string_view(name).substr(prefix.size());
        const bool old = rest.starts_with("old-");
        if (!old && !rest.starts_with("tmp-")) continue;
        long pid = 0;
        const std::string_view digits = rest.substr(4);
        const auto parsed = std::from_chars(digits.data(), digits.data() + digits.size(), pid);
        // SQLite keeps its journal beside a database being written: `.NAME.tmp-PID-journal`.
        const std::string_view after =
            std::string_view(parsed.ptr, static_cast<std::size_t>(digits.data() + digits.size() - parsed.ptr));
        if (parsed.ec != std::errc() || pid <= 0 ||
            !(after.empty() || after == "-journal" || after == "-wal" || after == "-shm"))
            continue;
        if (pid != ::getpid() && process_alive(pid)) continue;
        std::error_code ignored;
        if (old && !fs::exists(fs::symlink_status(target, ignored))) fs::rename(entry.path(), target, ignored);
        else fs::remove_all(entry.path(), ignored);
    }
}

void write_file_atomically(const fs::path& path, std::string_view content, bool force) {
    const fs::path target = output_target(path);
    const output_lock lock(path);
    remove_output_leftovers(target);
    std::error_code ec;
    if (fs::exists(fs::symlink_status(target, ec)) && !force)
        refuse(path, "output exists; use --force to overwrite it");
    check_replaceable_file(path);
    const fs::path temp = sibling(target, "tmp", ::getpid());
    const auto guard = output_guard();
    fs::remove(temp, ec);
    register_for_cleanup(temp);
    try {
        write_synced(temp, path, content);
        if (::rename(temp.c_str(), target.c_str()) != 0) throw os_error(path, "move into place");
    } catch (...) {
        fs::remove(temp, ec);
        unregister_for_cleanup(temp);
        throw;
    }
    unregister_for_cleanup(temp);
    sync_folder(target.parent_path());
}

}  // namespace pathways
