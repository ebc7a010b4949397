// The SQLite store: two runs written and read back with sqlite3 itself; all-or-nothing writes.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <unistd.h>
#include <algorithm>
#include <filesystem>
#include <fstream>

#include "../support/engine_fixture.hpp"
#include "engine/projection.hpp"
#include "report/sqlite_store.hpp"

namespace {

using namespace pathways;

using fixture = test::engine_fixture;

/// A folder of its own under the system temp folder, removed afterwards.
struct temp_folder {
    std::filesystem::path path;
    temp_folder()
        : path(std::filesystem::temp_directory_path() / ("pathways-sqlite-test-" + std::to_string(::getpid()))) {
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    ~temp_folder() { std::filesystem::remove_all(path); }
};

/// Runs `sql` (one row, one column) on the database at `path`.
std::string query(const std::filesystem::path& path, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* statement = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(statement) == SQLITE_ROW);
    const unsigned char* text = sqlite3_column_text(statement, 0);
    std::string value = text ? reinterpret_cast<const char*>(text) : "NULL";
    sqlite3_finalize(statement);
    sqlite3_close(db);
    return value;
}

std::size_t files_in(const std::filesystem::path& folder) {
    return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(folder), {}));
}

}  // namespace

TEST_CASE("two runs are stored and read back with SQLite", "[sweep][sqlite]") {
    fixture f;
    diagnostics problems;
    const simulation sim({f.graph, f.district, f.schools, f.cells, f.spec, *f.registry.find("linear")}, problems);
    REQUIRE_FALSE(problems.has_errors());
    projection_options options;  // draws = 0: one central run
    options.min_n = 16;
    const projection_result result = summarize_draws(run_draws(sim, f.spec, options));
    const table_context context{"tiny", "base", "linear", 2020, &sim, true};

    temp_folder folder;
    const auto db_path = folder.path / "runs.sqlite";
    {
        sqlite_store store(db_path, false);
        CHECK(store.add_run({"tiny", "base", "linear", R"({"/x": 1})", 7, 0, R"({"m": 1})"}, result, context) == 1);
        CHECK(store.add_run({"tiny", "base", "linear", R"({"/x": 2})", 7, 0, R"({"m": 2})"}, result, context) == 2);
        CHECK_FALSE(std::filesystem::exists(db_path));  // nothing in place before commit
        store.commit();
    }
    REQUIRE(std::filesystem::exists(db_path));
    CHECK(files_in(folder.path) == 1);  // the temp file is gone
    CHECK(query(db_path, "SELECT count(*) FROM runs") == "2");
    CHECK(query(db_path, "SELECT count(*) FROM rows") == std::to_string(2 * result.rows.size()));
    CHECK(query(db_path, "SELECT grid_json FROM runs WHERE run_id = 2") == R"({"/x": 2})");
    CHECK(query(db_path, "SELECT manifest_json || seed || draws FROM runs WHERE run_id = 1") == R"({"m": 1}70)");
    // D moves 1 → 3 at once: O changes by 0.5·2 = 1.0 against business as usual, in both years.
    const std::string effect_o =
        "SELECT mean FROM rows WHERE run_id = 2 AND year = 2021 AND subgroup = 'all' "
        "AND outcome = 'o' AND metric = 'effect'";
    CHECK(std::stod(query(db_path, effect_o)) == Approx(1.0).margin(1e-12));
    // A changes by 0.2·1.0 = 0.2.
    CHECK(std::stod(query(db_path,
                          "SELECT mean FROM rows WHERE run_id = 1 AND year = 2020 AND subgroup = 'all' AND "
                          "outcome = 'academic.achievement.math' AND metric = 'effect'")) == Approx(0.2).margin(1e-12));
    // Hispanic (10 students < min_n 16) is suppressed: labels kept, values NULL.
    CHECK(
        query(db_path,
              "SELECT count(*) FROM rows WHERE subgroup = 'race:hispanic' AND (suppressed = 0 OR mean IS NOT NULL)") ==
        "0");
    CHECK(query(db_path, "SELECT count(*) FROM rows WHERE subgroup = 'race:hispanic'") != "0");
    CHECK(query(db_path, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'rows_by_outcome'") ==
          "1");
    // Each row says which course it is, as projection.csv does.
    for (const plan_course course : {plan_course::none, plan_course::with_cut_risk, plan_course::sustained}) {
        const auto rows_of_course = std::count_if(result.rows.begin(), result.rows.end(),
                                                  [&](const metric_row& row) { return row.course == course; });
        CHECK(query(db_path, "SELECT count(*) FROM rows WHERE course = '" + std::string(to_string(course)) + "'") ==
              std::to_string(2 * rows_of_course));
    }
}

TEST_CASE("the store refuses to overwrite without force, and leaves nothing when not committed", "[sweep][sqlite]") {
    temp_folder folder;
    const auto db_path = folder.path / "runs.sqlite";
    { std::ofstream(db_path) << "not a database"; }
    CHECK_THROWS_WITH(sqlite_store(db_path, false), Catch::Contains("exists; use --force to overwrite it"));
    CHECK(files_in(folder.path) == 1);

    {
        sqlite_store store(db_path, true);  // replaces it, but only on commit
    }
    CHECK(files_in(folder.path) == 1);
    std::ifstream in(db_path);
    std::string content;
    std::getline(in, content);
    CHECK(content == "not a database");

    {
        sqlite_store store(db_path, true);
        store.commit();
    }
    CHECK(files_in(folder.path) == 1);
    CHECK(query(db_path, "SELECT count(*) FROM runs") == "0");
}

TEST_CASE("databases that killed runs left behind are removed by the next run, a live writer's kept",
          "[sweep][sqlite][faults]") {
    temp_folder folder;
    const auto db_path = folder.path / "runs.sqlite";
    // PID 2^22 + 1 is above Linux's largest (pid_max is at most 2^22), so no such process is alive.
    for (const char* left : {".runs.sqlite.tmp-4194305", ".runs.sqlite.tmp-4194305-journal"})
        std::ofstream(folder.path / left) << "partial";
    const std::string alive = ".runs.sqlite.tmp-" + std::to_string(::getppid());  // the test's parent is alive
    std::ofstream(folder.path / alive) << "another writer's";
    std::ofstream(folder.path / ".other.sqlite.tmp-4194305") << "another database's";
    {
        sqlite_store store(db_path, false);
        store.commit();
    }
    CHECK_FALSE(std::filesystem::exists(folder.path / ".runs.sqlite.tmp-4194305"));
    CHECK_FALSE(std::filesystem::exists(folder.path / ".runs.sqlite.tmp-4194305-journal"));
    CHECK(std::filesystem::exists(folder.path / alive));
    CHECK(std::filesystem::exists(folder.path / ".other.sqlite.tmp-4194305"));
    CHECK(std::filesystem::exists(db_path));
}

TEST_CASE("a database in a folder that cannot be created is an error", "[sweep][sqlite]") {
    temp_folder folder;
    { std::ofstream(folder.path / "file") << "x"; }
    CHECK_THROWS_AS(sqlite_store(folder.path / "file" / "runs.sqlite", false), std::runtime_error);
}

TEST_CASE("every draw of every unsuppressed row is stored, and averages to the row's mean", "[sweep][sqlite]") {
    fixture f;
    diagnostics problems;
    const simulation sim({f.graph, f.district, f.schools, f.cells, f.spec, *f.registry.find("linear")}, problems);
    REQUIRE_FALSE(problems.has_errors());
    projection_options options;
    options.draws = 3;
    options.seed = 5;
    options.min_n = 16;
    const projection_draws draws = run_draws(sim, f.spec, options);
    const projection_result result = summarize_draws(draws);
    const table_context context{"tiny", "base", "linear", 2020, &sim, true};

    temp_folder folder;
    const auto db_path = folder.path / "runs.sqlite";
    {
        sqlite_store store(db_path, false);
        const std::int64_t run_id = store.add_run({"tiny", "base", "linear", "{}", 5, 3, "{}"}, result, context);
        store.add_draws(run_id, draws, context);
        store.commit();
    }
    std::size_t unsuppressed = 0;
    for (const metric_row& row : draws.rows) unsuppressed += row.suppressed ? 0 : 1;
    REQUIRE(unsuppressed < draws.rows.size());  // the fixture has a suppressed group
    CHECK(query(db_path, "SELECT count(*) FROM draws") == std::to_string(3 * unsuppressed));
    CHECK(query(db_path, "SELECT count(DISTINCT draw) || min(draw) || max(draw) FROM draws") == "302");
    // Hispanic (10 students < min_n 16) is suppressed: no draws at all.
    CHECK(query(db_path, "SELECT count(*) FROM draws WHERE subgroup = 'race:hispanic'") == "0");
    // The mean of a row's draws is the mean stored for the row.
    const std::string where =
        " WHERE year = 2021 AND subgroup = 'all' AND outcome = 'academic.achievement.math' AND "
        "metric = 'effect'";
    CHECK(std::stod(query(db_path, "SELECT avg(value) FROM draws" + where)) ==
          Approx(std::stod(query(db_path, "SELECT mean FROM rows" + where))).margin(1e-12));
}
