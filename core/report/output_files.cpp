#include "report/output_files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace pathways {
namespace {

std::runtime_error io_error(const std::filesystem::path& path, std::string_view what) {
    return std::runtime_error("cannot " + std::string(what) + " '" + path.string() + "': " + std::strerror(errno));
}

/// Writes and fsyncs through POSIX calls: std::ofstream cannot fsync, and a rename without it
/// can leave an empty file after a crash.
void write_synced(const std::filesystem::path& path, std::string_view content) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) throw io_error(path, "create");
    std::size_t written = 0;
    while (written < content.size()) {
        const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            ::close(fd);
            throw io_error(path, "write");
        }
        written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        ::close(fd);
        throw io_error(path, "sync");
    }
    if (::close(fd) != 0) throw io_error(path, "close");
}

std::filesystem::path temp_path_for(const std::filesystem::path& final_path) {
    return final_path.parent_path() / ("." + final_path.filename().string() + ".tmp-" + std::to_string(::getpid()));
}

}  // namespace

output_set::output_set(std::filesystem::path folder, bool force) : folder_(std::move(folder)), force_(force) {}

output_set::~output_set() { discard(); }

std::vector<std::string> output_set::conflicts(const std::vector<std::string>& names) const {
    std::vector<std::string> existing;
    if (force_) return existing;
    for (const std::string& name : names) {
        if (std::filesystem::exists(folder_ / name)) existing.push_back((folder_ / name).string());
    }
    return existing;
}

void output_set::stage(const std::string& name, std::string_view content) {
    std::error_code ec;
    std::filesystem::create_directories(folder_, ec);
    if (ec) throw std::runtime_error("cannot create folder '" + folder_.string() + "': " + ec.message());
    const std::filesystem::path final_path = folder_ / name;
    if (!force_ && std::filesystem::exists(final_path)) {
        throw std::runtime_error("'" + final_path.string() + "' exists; use --force to overwrite it");
    }
    const std::filesystem::path temp = temp_path_for(final_path);
    std::filesystem::remove(temp, ec);
    staged_.push_back({temp, final_path});
    write_synced(temp, content);
}

void output_set::commit() {
    for (staged& file : staged_) {
        std::error_code ec;
        std::filesystem::rename(file.temp, file.final_path, ec);
        if (ec) throw std::runtime_error("cannot move '" + file.temp.string() + "' into place: " + ec.message());
        file.temp.clear();
    }
    const int fd = ::open(folder_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);  // makes the renames themselves durable
        ::close(fd);
    }
    staged_.clear();
}

void output_set::discard() {
    for (const staged& file : staged_) {
        std::error_code ec;
        if (!file.temp.empty()) std::filesystem::remove(file.temp, ec);
    }
    staged_.clear();
}

void write_file_atomically(const std::filesystem::path& path, std::string_view content, bool force) {
    output_set out(path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path(), force);
    out.stage(path.filename().string(), content);
    out.commit();
}

}  // namespace pathways
