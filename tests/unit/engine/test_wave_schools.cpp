// schools_of_waves: the schools each wave reached, as the schedule resolved them.
#include <catch2/catch.hpp>

#include <set>

#include "../support/engine_fixture.hpp"
#include "engine/schedule.hpp"
#include "engine/wave_schools.hpp"

using namespace pathways;

namespace {

/// The fixture with schools s1..s5 (CSV order), wave "named" taking s2 by id from 2020 and wave
/// "sampled" taking `count` of the others from 2021 with `seed`.
std::vector<wave_schools> resolve(std::int64_t count, std::uint64_t seed) {
    test::engine_fixture f;
    f.schools.clear();
    for (const char* id : {"s1", "s2", "s3", "s4", "s5"}) {
        school s;
        s.id = id;
        s.enrollment = 10;
        f.schools.push_back(s);
    }
    f.spec.plan.waves.front().name = "named";
    f.spec.plan.waves.front().schools.ids = {"s2"};
    wave sampled = f.spec.plan.waves.front();
    sampled.name = "sampled";
    sampled.start_year = 2021;
    sampled.schools = {{}, "", {}, {}, count, seed};
    f.spec.plan.waves.push_back(sampled);
    diagnostics problems;
    const implementation_schedule schedule(f.graph, f.district, f.schools, f.spec, problems);
    REQUIRE_FALSE(problems.has_errors());
    return schools_of_waves(schedule, f.schools, f.spec.plan);
}

}  // namespace

TEST_CASE("schools_of_waves lists each wave's schools, a sampled wave's as its seed chose them", "[engine][waves]") {
    const auto waves = resolve(2, 3);
    REQUIRE(waves.size() == 2);
    CHECK(waves[0].name == "named");
    CHECK(waves[0].start_year == 2020);
    CHECK_FALSE(waves[0].sampled);
    CHECK(waves[0].seed == 0);
    CHECK(waves[0].school_ids == std::vector<std::string>{"s2"});

    CHECK(waves[1].name == "sampled");
    CHECK(waves[1].start_year == 2021);
    CHECK(waves[1].sampled);
    CHECK(waves[1].seed == 3);
    const auto& chosen = waves[1].school_ids;
    REQUIRE(chosen.size() == 2);
    CHECK(chosen[0] < chosen[1]);  // in CSV order, and s1..s5 sort as they stand
    for (const std::string& id : chosen) CHECK(std::set<std::string>{"s1", "s3", "s4", "s5"}.contains(id));
    CHECK(resolve(2, 3)[1].school_ids == chosen);  // the same seed, the same sample

    // A sample of every remaining school is all of them; the seeds give at least two different pairs.
    CHECK(resolve(4, 3)[1].school_ids == std::vector<std::string>{"s1", "s3", "s4", "s5"});
    std::set<std::vector<std::string>> samples;
    for (std::uint64_t seed = 0; seed < 20; ++seed) samples.insert(resolve(2, seed)[1].school_ids);
    CHECK(samples.size() > 1);
}
