// Results folders, locks, --force, environment failures and signals, as a user meets them
// (docs/explanation/reliability-and-privacy.md: results folders, one writer, --force, machine failures, signals).
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "cli_support.hpp"

namespace {

namespace fs = std::filesystem;
using pathways::test::run_cli;
using pathways::test::scratch_folder;

const std::string quick_run = "run scenarios/rand-2017-check.json --draws 0 --quiet";

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// Names in `folder` that start with a dot: temporary folders, lock files.
std::vector<std::string> hidden_entries(const fs::path& folder) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(folder)) {
        if (entry.path().filename().string().front() == '.') names.push_back(entry.path().filename().string());
    }
    return names;
}

/// A PID that no process has: a child that has already been reaped.
pid_t dead_pid() {
    const pid_t child = ::fork();
    if (child == 0) ::_exit(0);
    ::waitpid(child, nullptr, 0);
    return child;
}

/// `pathways ARGS...` started in the source root, its stdout a pipe of one page; returns its PID
/// and the pipe's read end.
std::pair<pid_t, int> start_cli(const std::vector<std::string>& args) {
    int pipe_fds[2];
    REQUIRE(::pipe(pipe_fds) == 0);
    ::fcntl(pipe_fds[0], F_SETPIPE_SZ, 4096);
    const pid_t child = ::fork();
    if (child == 0) {
        ::dup2(pipe_fds[1], STDOUT_FILENO);
        const int null_fd = ::open("/dev/null", O_WRONLY);
        ::dup2(null_fd, STDERR_FILENO);
        ::close(pipe_fds[0]);
        if (::chdir(PATHWAYS_SOURCE_ROOT) != 0) ::_exit(120);
        std::vector<char*> argv{const_cast<char*>(PATHWAYS_CLI)};
        for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
        argv.push_back(nullptr);
        ::execv(PATHWAYS_CLI, argv.data());
        ::_exit(121);
    }
    ::close(pipe_fds[1]);
    return {child, pipe_fds[0]};
}

/// Reads `fd` to its end and returns the child's exit code (-1 when a signal killed it).
int finish(pid_t child, int fd) {
    char buffer[4096];
    while (::read(fd, buffer, sizeof buffer) > 0) {
    }
    ::close(fd);
    int status = 0;
    ::waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_CASE("a results folder is replaced as a whole and keeps the files it does not rewrite", "[cli][hardening]") {
    scratch_folder out("whole-folder");
    const fs::path results = out.path() / "results";
    const std::string target = " --out '" + results.string() + "'";
    REQUIRE(run_cli(quick_run + target).exit_code == 0);
    std::ofstream(results / "notes.txt") << "mine";
    const std::string before = read_text(results / "manifest.json");

    REQUIRE(run_cli(quick_run + " --effect-model linear --force" + target).exit_code == 0);
    CHECK(read_text(results / "manifest.json") != before);
    CHECK(contains(read_text(results / "manifest.json"), "\"linear\""));
    CHECK(read_text(results / "notes.txt") == "mine");
    CHECK(hidden_entries(out.path()).empty());  // no temporary folder, no old folder, no lock file
}

TEST_CASE("leftovers of a killed run are removed by the next run, a live process's are kept", "[cli][hardening]") {
    scratch_folder out("leftovers");
    const fs::path dead = out.path() / (".results.tmp-" + std::to_string(dead_pid()));
    const fs::path alive = out.path() / (".results.tmp-" + std::to_string(::getpid()));
    fs::create_directories(dead);
    std::ofstream(dead / "projection.csv") << "half";
    fs::create_directories(alive);
    REQUIRE(run_cli(quick_run + " --out '" + (out.path() / "results").string() + "'").exit_code == 0);
    CHECK_FALSE(fs::exists(dead));
    CHECK(fs::exists(alive));
    CHECK(fs::exists(out.path() / "results" / "manifest.json"));
}

TEST_CASE("an old folder moved aside by a killed run is put back", "[cli][hardening]") {
    scratch_folder out("put-back");
    const fs::path old = out.path() / (".results.old-" + std::to_string(dead_pid()));
    fs::create_directories(old);
    std::ofstream(old / "manifest.json") << "{\"pathways_version\": \"0.1.0\"}";
    std::ofstream(old / "projection.csv") << "old";
    const auto again = run_cli(quick_run + " --out '" + (out.path() / "results").string() + "'");
    CHECK(again.exit_code == 2);  // the old folder is back, and it is not overwritten without --force
    CHECK(read_text(out.path() / "results" / "projection.csv") == "old");
    CHECK_FALSE(fs::exists(old));
}

TEST_CASE("a second writer of the same folder is refused with exit 2, naming the first", "[cli][hardening]") {
    scratch_folder out("locked");
    const int fd = ::open((out.path() / ".results.lock").c_str(), O_RDWR | O_CREAT, 0644);
    REQUIRE(fd >= 0);
    REQUIRE(::flock(fd, LOCK_EX) == 0);
    REQUIRE(::write(fd, "4242", 4) == 4);
    const auto second = run_cli(quick_run + " --out '" + (out.path() / "results").string() + "'");
    ::close(fd);
    CHECK(second.exit_code == 2);
    CHECK(contains(second.output,
                   "is being written by another pathways process (pid 4242); expected one run per output folder"));
    CHECK_FALSE(fs::exists(out.path() / "results"));
    CHECK(run_cli(quick_run + " --out '" + (out.path() / "results").string() + "'").exit_code == 0);  // free again
}

TEST_CASE("a device, a link or a folder that is not ours is never replaced, even with --force", "[cli][hardening]") {
    scratch_folder out("force");
    // A FIFO first: code that replaced it would, run as root, also replace /dev/full below.
    REQUIRE(::mkfifo((out.path() / "pipe.sqlite").c_str(), 0644) == 0);
    const auto fifo =
        run_cli("sweep scenarios/rand-2017-check.json --grid /uncertainty/draws=0 --quiet --force --db '" +
                (out.path() / "pipe.sqlite").string() + "' --out '" + (out.path() / "sweep").string() + "'");
    REQUIRE(fifo.exit_code == 2);
    REQUIRE(fs::is_fifo(out.path() / "pipe.sqlite"));
    CHECK(contains(fifo.output, "pipe.sqlite: error: exists and is a FIFO; pathways replaces only regular files"));

    const auto device = run_cli(
        "sweep scenarios/rand-2017-check.json --grid /uncertainty/draws=0 --quiet --force --db /dev/full --out '" +
        (out.path() / "sweep").string() + "'");
    CHECK(device.exit_code == 2);
    CHECK(contains(device.output,
                   "/dev/full: error: exists and is a character device; pathways replaces only regular files"));
    CHECK_FALSE(fs::exists(out.path() / "sweep"));
    CHECK(fs::is_character_file("/dev/full"));

    scratch_folder elsewhere("force-elsewhere");
    fs::create_directory_symlink(elsewhere.path(), out.path() / "link");
    const auto link = run_cli(quick_run + " --force --out '" + (out.path() / "link").string() + "'");
    CHECK(link.exit_code == 2);
    CHECK(contains(link.output, "is a symbolic link"));
    CHECK(fs::is_empty(elsewhere.path()));

    fs::create_directory(out.path() / "mine");
    std::ofstream(out.path() / "mine" / "thesis.tex") << "years of work";
    const auto foreign = run_cli(quick_run + " --force --out '" + (out.path() / "mine").string() + "'");
    CHECK(foreign.exit_code == 2);
    CHECK(contains(foreign.output, "is a folder that pathways did not write"));
    CHECK(read_text(out.path() / "mine" / "thesis.tex") == "years of work");

    REQUIRE(run_cli(quick_run + " --out '" + (out.path() / "results").string() + "'").exit_code == 0);
    fs::remove(out.path() / "results" / "projection.csv");
    fs::create_directory_symlink(elsewhere.path(), out.path() / "results" / "projection.csv");
    const auto inner_link = run_cli(quick_run + " --force --out '" + (out.path() / "results").string() + "'");
    CHECK(inner_link.exit_code == 2);
    CHECK(contains(inner_link.output, "projection.csv: error: exists and is a symbolic link"));
}

TEST_CASE("failures of the machine exit 3 naming the path and the reason", "[cli][hardening]") {
    scratch_folder out("environment");
    std::ofstream(out.path() / "file") << "x";
    const auto file = run_cli(quick_run + " --out '" + (out.path() / "file").string() + "'");
    CHECK(file.exit_code == 3);
    CHECK(contains(file.output, "cannot write results into '" + (out.path() / "file").string() + "': Not a directory"));
    CHECK_FALSE(contains(file.output, "internal error"));

    const auto unwritable = run_cli(quick_run + " --out /proc/pathways-results");
    CHECK(unwritable.exit_code == 3);
    CHECK(contains(unwritable.output, "/proc/"));
    CHECK_FALSE(contains(unwritable.output, "internal error"));
}

TEST_CASE("SIGTERM stops a command that never polls for it, with exit 143", "[cli][hardening][signals]") {
    // effects prints about 15 KB; with a one-page pipe that is not read it blocks in write().
    auto [child, fd] = start_cli({"effects"});
    char first = 0;
    REQUIRE(::read(fd, &first, 1) == 1);  // it is running: its signal handling is in place
    ::kill(child, SIGTERM);
    // The pipe is not read until the child has ended: it stays blocked in write(), as a command that
    // never polls does, so only the signal watcher can end it (draining first could let it finish).
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    ::close(fd);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 143);
}

TEST_CASE("SIGTERM stops a run with exit 143 and leaves nothing behind", "[cli][hardening][signals]") {
    scratch_folder out("sigterm");
    auto [child, fd] = start_cli({"run", "scenarios/denver-scale-up.json", "--all-variants", "--draws", "2000",
                                  "--threads", "1", "--quiet", "--out", (out.path() / "run").string()});
    siginfo_t info{};
    // Until its output folder is claimed (or it ends early, which the checks below then report).
    while (!fs::exists(out.path() / ".run.lock") &&
           ::waitid(P_PID, static_cast<id_t>(child), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == 0) {
        std::this_thread::yield();
    }
    ::kill(child, SIGTERM);
    CHECK(finish(child, fd) == 143);
    CHECK_FALSE(fs::exists(out.path() / "run"));
    CHECK(hidden_entries(out.path()).empty());
}

namespace {

/// `file` of the shipped scenarios, changed by `edit` and written into `folder` beside a copy of
/// the shipped districts, so relative paths still resolve.
fs::path edited_copy(const fs::path& folder, const std::string& file,
                     const std::function<void(nlohmann::json&)>& edit) {
    fs::copy(fs::path(PATHWAYS_SOURCE_ROOT) / "scenarios" / "districts", folder / "districts",
             fs::copy_options::recursive | fs::copy_options::skip_existing);
    auto value = nlohmann::json::parse(read_text(fs::path(PATHWAYS_SOURCE_ROOT) / "scenarios" / file));
    edit(value);
    const fs::path path = folder / fs::path(file).filename();
    std::ofstream(path) << value.dump(2);
    return path;
}

}  // namespace

TEST_CASE("validate rejects variants inside a variant, a seed table missing a race and a model without nodes",
          "[cli][hardening][input]") {
    scratch_folder folder("input-checks");
    const fs::path nested = edited_copy(folder.path(), "rand-2017-check.json", [](nlohmann::json& s) {
        s["variants"] = {{"a", {{"variants", {{"b", nlohmann::json::object()}}}}}};
    });
    const auto variants = run_cli("validate '" + nested.string() + "'");
    CHECK(variants.exit_code == 2);
    CHECK(contains(variants.output, "/variants/a/variants: a variant cannot hold variants (they would be ignored)"));

    const fs::path district = edited_copy(folder.path(), "districts/denver-2018.json",
                                          [](nlohmann::json& d) { d["seed_table"]["frl_given_race"].erase("asian"); });
    const auto seed = run_cli("validate '" + district.string() + "'");
    CHECK(seed.exit_code == 2);
    CHECK(contains(seed.output, "/seed_table/frl_given_race"));
    CHECK(contains(seed.output, "'asian'"));

    const fs::path model = edited_copy(folder.path(), "models/dps-personalized-learning.json", [](nlohmann::json& m) {
        m["nodes"] = nlohmann::json::array();
        m["edges"] = nlohmann::json::array();
    });
    const auto empty = run_cli("validate '" + model.string() + "'");
    CHECK(empty.exit_code == 2);
    CHECK(contains(empty.output, "the model has no nodes"));
}

TEST_CASE("control characters in input reach the terminal escaped", "[cli][hardening][input]") {
    scratch_folder folder("control");
    const fs::path scenario = edited_copy(folder.path(), "rand-2017-check.json", [](nlohmann::json& s) {
        s["implementation"]["waves"][0]["schools"] = {{"ids", {"\x1b[31mred"}}};
    });
    const auto result = run_cli("validate '" + scenario.string() + "'");
    CHECK(result.exit_code == 2);
    CHECK(contains(result.output, "school '\\x1b[31mred' is not in the district"));
    CHECK_FALSE(contains(result.output, "\x1b"));
}

TEST_CASE("run's --format must name at least one output format, and every one it names must be known",
          "[cli][hardening][errors]") {
    scratch_folder out("formats");
    const std::string target = " --out '" + (out.path() / "results").string() + "'";
    const auto empty = run_cli(quick_run + " --format ''" + target);
    CHECK(empty.exit_code == 2);
    CHECK_THAT(empty.output, Catch::Contains("--format: no output format; expected csv, json or csv,json"));
    const auto unknown = run_cli(quick_run + " --format csv,xml,yaml" + target);
    CHECK(unknown.exit_code == 2);
    CHECK_THAT(unknown.output, Catch::Contains("--format: unknown output format 'xml'") &&
                                   Catch::Contains("--format: unknown output format 'yaml'"));
    CHECK_FALSE(std::filesystem::exists(out.path() / "results"));
}

TEST_CASE("validate of a district profile alone holds its conditions to their ranges and refuses an all-zero seed row",
          "[cli][hardening][input]") {
    scratch_folder folder("district-alone");
    const fs::path condition = edited_copy(folder.path(), "districts/denver-2018.json", [](nlohmann::json& d) {
        d["conditions"]["accountability_flexibility"]["value"] = 2;
    });
    const auto out_of_range = run_cli("validate '" + condition.string() + "'");
    INFO(out_of_range.output);
    CHECK(out_of_range.exit_code == 2);
    CHECK(contains(out_of_range.output, "/conditions/accountability_flexibility: 2 is out of range; expected 0 to 1"));

    const fs::path seed = edited_copy(folder.path(), "districts/denver-2018.json", [](nlohmann::json& d) {
        d["seed_table"]["ell_given_race"]["hispanic"] = {{"non_ell", 0}, {"ell", 0}, {"exited", 0}};
    });
    const auto zeros = run_cli("validate '" + seed.string() + "'");
    INFO(zeros.output);
    CHECK(zeros.exit_code == 2);
    CHECK(contains(zeros.output,
                   "/seed_table/ell_given_race/hispanic: every weight of 'hispanic' is 0; expected at least one "
                   "positive weight"));

    // A shipped profile written for another model is still valid on its own.
    const auto tutoring = run_cli("validate scenarios/districts/denver-2018-tutoring.json");
    INFO(tutoring.output);
    CHECK(tutoring.exit_code == 0);
}
