#include "report/sqlite_store.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "common/environment_error.hpp"
#include "common/exit_cleanup.hpp"
#include "report/output_files.hpp"

namespace pathways {
namespace {

/// A row's outcome id; empty for rows of the whole plan (costs), which measure no outcome.
std::string outcome_id(const table_context& context, const metric_row& row) {
    return row.outcome == no_outcome ? std::string() : context.sim->outcomes()[row.outcome].id;
}

constexpr const char* schema = R"sql(
CREATE TABLE runs(run_id INTEGER PRIMARY KEY, scenario TEXT NOT NULL, variant TEXT NOT NULL, model TEXT NOT NULL,
                  grid_json TEXT NOT NULL, seed INTEGER NOT NULL, draws INTEGER NOT NULL, manifest_json TEXT NOT NULL);
CREATE TABLE rows(run_id INTEGER NOT NULL REFERENCES runs(run_id), year INTEGER NOT NULL, subgroup TEXT NOT NULL,
                  outcome TEXT NOT NULL, metric TEXT NOT NULL, course TEXT NOT NULL, reference TEXT NOT NULL, mean REAL, sd REAL, p05 REAL,
                  p50 REAL, p95 REAL, prob_positive REAL, n_students REAL, suppressed INTEGER NOT NULL);
CREATE INDEX rows_by_outcome ON rows(outcome, subgroup, metric);
CREATE TABLE draws(run_id INTEGER NOT NULL REFERENCES runs(run_id), year INTEGER NOT NULL, subgroup TEXT NOT NULL,
                   outcome TEXT NOT NULL, metric TEXT NOT NULL, course TEXT NOT NULL, reference TEXT NOT NULL,
                   draw INTEGER NOT NULL,
                   value REAL);
)sql";

constexpr const char* insert_run_sql =
    "INSERT INTO runs(scenario, variant, model, grid_json, seed, draws, manifest_json) VALUES (?, ?, ?, ?, ?, ?, ?)";
constexpr const char* insert_row_sql =
    "INSERT INTO rows(run_id, year, subgroup, outcome, metric, course, reference, mean, sd, p05, p50, p95, "
    "prob_positive, n_students, suppressed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr const char* insert_draw_sql =
    "INSERT INTO draws(run_id, year, subgroup, outcome, metric, course, reference, draw, value) VALUES (?, ?, ?, ?, ?, "
    "?, ?, ?, ?)";

std::filesystem::path temp_path_for(const std::filesystem::path& final_path) {
    return final_path.parent_path() / ("." + final_path.filename().string() + ".tmp-" + std::to_string(::getpid()));
}

void sync_file(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::fsync(fd) != 0) {
        const std::string reason = std::strerror(errno);
        if (fd >= 0) ::close(fd);
        throw environment_error("cannot sync '" + path.string() + "': " + reason);
    }
    ::close(fd);
}

}  // namespace

/// The open database and its prepared statements.
struct sqlite_store::connection {
    sqlite3* db = nullptr;
    sqlite3_stmt* insert_run = nullptr;
    sqlite3_stmt* insert_row = nullptr;
    sqlite3_stmt* insert_draw = nullptr;

    ~connection() { close(); }

    /// Finalizes and closes; returns SQLite's result of closing.
    int close() {
        sqlite3_finalize(insert_run);
        sqlite3_finalize(insert_row);
        sqlite3_finalize(insert_draw);
        insert_run = insert_row = insert_draw = nullptr;
        const int rc = sqlite3_close(db);
        db = nullptr;
        return rc;
    }

    /// A full disk, a read-only folder or an I/O error is the machine's failure (exit 3), not ours.
    [[noreturn]] void fail(int rc, const std::string& what) const {
        const std::string message = "sqlite: cannot " + what + ": " + (db ? sqlite3_errmsg(db) : "out of memory");
        const int primary = rc & 0xff;
        if (primary == SQLITE_FULL || primary == SQLITE_IOERR || primary == SQLITE_READONLY ||
            primary == SQLITE_CANTOPEN || primary == SQLITE_PERM || primary == SQLITE_NOMEM) {
            throw environment_error(message);
        }
        throw std::runtime_error(message);
    }
    void check(int rc, const std::string& what) const {
        if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) fail(rc, what);
    }
    void execute(const char* sql, const std::string& what) const {
        check(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), what);
    }

    void bind_text(sqlite3_stmt* statement, int index, const std::string& text) const {
        check(sqlite3_bind_text(statement, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT),
              "bind a value");
    }
    void bind_real(sqlite3_stmt* statement, int index, double value, bool null) const {
        check(null || !std::isfinite(value) ? sqlite3_bind_null(statement, index)
                                            : sqlite3_bind_double(statement, index, value),
              "bind a value");
    }
    void bind_int(sqlite3_stmt* statement, int index, std::int64_t value) const {
        check(sqlite3_bind_int64(statement, index, value), "bind a value");
    }
    void step(sqlite3_stmt* statement, const std::string& what) const {
        if (const int rc = sqlite3_step(statement); rc != SQLITE_DONE) fail(rc, what);
        check(sqlite3_reset(statement), what);
    }
};

sqlite_store::sqlite_store(std::filesystem::path path, bool force)
    : path_(std::move(path)),
      temp_(temp_path_for(output_target(path_))),
      force_(force),
      db_(std::make_unique<connection>()) {
    check_replaceable_file(path_);  // never a device, FIFO or link, --force or not
    lock_ = std::make_unique<output_lock>(path_);
    check_replaceable_file(path_);                  // again, now that no other pathways process can change it
    remove_output_leftovers(output_target(path_));  // databases of killed runs, with their journals
    if (!force_ && std::filesystem::exists(path_)) {
        throw std::runtime_error("'" + path_.string() + "' exists; use --force to overwrite it");
    }
    std::error_code ec;
    std::filesystem::remove(temp_, ec);
    register_for_cleanup(temp_);
    try {
        const int rc = sqlite3_open_v2(temp_.c_str(), &db_->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
        db_->check(rc, "create '" + temp_.string() + "'");
        // The file is private until commit() syncs and renames it, so SQLite's own syncing buys
        // nothing; an in-memory journal still lets a failed run's transaction roll back.
        db_->execute("PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF;", "configure the database");
        db_->execute(schema, "create the tables");
        db_->check(sqlite3_prepare_v2(db_->db, insert_run_sql, -1, &db_->insert_run, nullptr),
                   "prepare the run insert");
        db_->check(sqlite3_prepare_v2(db_->db, insert_row_sql, -1, &db_->insert_row, nullptr),
                   "prepare the row insert");
        db_->check(sqlite3_prepare_v2(db_->db, insert_draw_sql, -1, &db_->insert_draw, nullptr),
                   "prepare the draw insert");
    } catch (...) {
        db_.reset();
        std::filesystem::remove(temp_, ec);
        unregister_for_cleanup(temp_);
        throw;
    }
}

sqlite_store::~sqlite_store() {
    db_.reset();
    std::error_code ec;
    if (!temp_.empty()) {
        std::filesystem::remove(temp_, ec);
        unregister_for_cleanup(temp_);
    }
}

std::int64_t sqlite_store::add_run(const stored_run& run, const projection_result& result,
                                   const table_context& context) {
    if (!db_) throw std::logic_error("sqlite_store::add_run after commit");
    connection& c = *db_;
    c.execute("BEGIN", "begin a transaction");
    try {
        c.bind_text(c.insert_run, 1, run.scenario);
        c.bind_text(c.insert_run, 2, run.variant);
        c.bind_text(c.insert_run, 3, run.model);
        c.bind_text(c.insert_run, 4, run.grid_json);
        if (run.seed <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            c.bind_int(c.insert_run, 5, static_cast<std::int64_t>(run.seed));
        } else {
            c.bind_text(c.insert_run, 5, std::to_string(run.seed));
        }
        c.bind_int(c.insert_run, 6, run.draws);
        c.bind_text(c.insert_run, 7, run.manifest_json);
        c.step(c.insert_run, "store a run");
        const std::int64_t run_id = sqlite3_last_insert_rowid(c.db);
        for (std::size_t i = 0; i < result.rows.size(); ++i) {
            const metric_row& row = result.rows[i];
            const stats::summary& s = result.summaries[i];
            c.bind_int(c.insert_row, 1, run_id);
            c.bind_int(c.insert_row, 2, context.start_year + row.year);
            c.bind_text(c.insert_row, 3, context.sim->subgroups()[row.subgroup].group.name);
            c.bind_text(c.insert_row, 4, outcome_id(context, row));
            c.bind_text(c.insert_row, 5, std::string(to_string(row.metric)));
            c.bind_text(c.insert_row, 6, std::string(to_string(row.course)));
            c.bind_text(c.insert_row, 7, row.reference);
            const double values[] = {s.mean, s.sd, s.p05, s.p50, s.p95, s.prob_positive, row.students};
            for (int v = 0; v < 7; ++v) c.bind_real(c.insert_row, 8 + v, values[v], row.suppressed);
            c.bind_int(c.insert_row, 15, row.suppressed ? 1 : 0);
            c.step(c.insert_row, "store a row");
        }
        c.execute("COMMIT", "commit a run");
        return run_id;
    } catch (...) {
        sqlite3_reset(c.insert_run);
        sqlite3_reset(c.insert_row);
        sqlite3_exec(c.db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

void sqlite_store::add_draws(std::int64_t run_id, const projection_draws& draws, const table_context& context) {
    if (!db_) throw std::logic_error("sqlite_store::add_draws after commit");
    connection& c = *db_;
    c.execute("BEGIN", "begin a transaction");
    try {
        for (std::size_t r = 0; r < draws.rows.size(); ++r) {
            const metric_row& row = draws.rows[r];
            if (row.suppressed) continue;  // withheld as its summaries are
            c.bind_int(c.insert_draw, 1, run_id);
            c.bind_int(c.insert_draw, 2, context.start_year + row.year);
            c.bind_text(c.insert_draw, 3, context.sim->subgroups()[row.subgroup].group.name);
            c.bind_text(c.insert_draw, 4, outcome_id(context, row));
            c.bind_text(c.insert_draw, 5, std::string(to_string(row.metric)));
            c.bind_text(c.insert_draw, 6, std::string(to_string(row.course)));
            c.bind_text(c.insert_draw, 7, row.reference);
            for (std::size_t d = 0; d < draws.draws; ++d) {
                c.bind_int(c.insert_draw, 8, static_cast<std::int64_t>(d));
                c.bind_real(c.insert_draw, 9, draws.values[d * draws.rows.size() + r], false);
                c.step(c.insert_draw, "store a draw");
            }
        }
        c.execute("COMMIT", "commit a run's draws");
    } catch (...) {
        sqlite3_reset(c.insert_draw);
        sqlite3_exec(c.db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

void sqlite_store::commit() {
    if (!db_) throw std::logic_error("sqlite_store::commit twice");
    if (db_->close() != SQLITE_OK) throw environment_error("sqlite: cannot close '" + temp_.string() + "'");
    db_.reset();
    sync_file(temp_);
    if (!force_ && std::filesystem::exists(path_)) {
        throw std::runtime_error("'" + path_.string() + "' exists; use --force to overwrite it");
    }
    check_replaceable_file(path_);
    std::error_code ec;
    const auto guard = output_guard();
    std::filesystem::rename(temp_, path_, ec);
    if (ec) throw environment_error("cannot move '" + temp_.string() + "' into place: " + ec.message());
    unregister_for_cleanup(temp_);
    temp_.clear();
    const std::filesystem::path folder = path_.parent_path().empty() ? std::filesystem::path(".") : path_.parent_path();
    const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);  // makes the rename itself durable
        ::close(fd);
    }
}

}  // namespace pathways
