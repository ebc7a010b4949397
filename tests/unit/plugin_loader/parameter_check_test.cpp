#include <limits>
#include <string>

#include <catch2/catch.hpp>

#include "plugin/parameter_check.hpp"

using namespace pathways;

namespace {

model_handle subgroup_model() {
    model_handle model;
    model.name = "subgroup";
    model.parameters = {
        {"multiplier.race.black", "ratio", "", "", "S", sdk::parameter_type::real, 1.0, 0.0, 3.0, {}},
        {"multiplier.ell", "ratio", "", "", "S", sdk::parameter_type::real, 1.0, 0.0, 3.0, {}},
        {"lag.years", "years", "", "", "A", sdk::parameter_type::integer, 1.0, 0.0, 5.0, {}},
        {"enabled", "", "", "", "A", sdk::parameter_type::boolean, 1.0, 0.0, 1.0, {}},
    };
    return model;
}

const source_location where{"scenario.json", 7, 12, "/effect_model/parameters/x"};

/// The single message check_parameter produced, or "" when it accepted the value.
std::string problem_with(const model_handle& model, const std::string& name, double value) {
    diagnostics problems;
    const bool accepted = check_parameter(model, name, value, where, problems);
    CHECK(accepted == problems.items().empty());
    if (accepted) return "";
    REQUIRE(problems.items().size() == 1);
    const diagnostic& d = problems.items().front();
    CHECK(d.file == "scenario.json");
    CHECK(d.line == 7);
    CHECK(d.column == 12);
    CHECK(d.pointer == "/effect_model/parameters/x");
    CHECK(d.level == severity::error);
    return d.message;
}

}  // namespace

TEST_CASE("values inside the declared range are accepted, bounds included") {
    const model_handle model = subgroup_model();
    CHECK(problem_with(model, "multiplier.race.black", 0.0) == "");
    CHECK(problem_with(model, "multiplier.race.black", 3.0) == "");
    CHECK(problem_with(model, "lag.years", 5.0) == "");
    CHECK(problem_with(model, "enabled", 0.0) == "");
}

TEST_CASE("an unknown parameter name gets a did-you-mean, or the list of declared names") {
    const model_handle model = subgroup_model();
    CHECK(problem_with(model, "multiplier.race.blak", 1.0) ==
          "unknown parameter 'multiplier.race.blak' of effect model 'subgroup'; did you mean 'multiplier.race.black'?");
    CHECK(problem_with(model, "zzz", 1.0) ==
          "unknown parameter 'zzz' of effect model 'subgroup'; expected one of 'multiplier.race.black', "
          "'multiplier.ell', 'lag.years', 'enabled'");
    model_handle bare;
    bare.name = "bare";
    CHECK(problem_with(bare, "x", 1.0) == "unknown parameter 'x' of effect model 'bare'; it declares no parameters");
}

TEST_CASE("out-of-range, non-finite, fractional integer and non-boolean values are rejected") {
    const model_handle model = subgroup_model();
    CHECK(problem_with(model, "multiplier.ell", 3.5) ==
          "parameter 'multiplier.ell' of effect model 'subgroup' is 3.5, outside its valid range [0, 3]");
    CHECK(problem_with(model, "multiplier.ell", -0.25) ==
          "parameter 'multiplier.ell' of effect model 'subgroup' is -0.25, outside its valid range [0, 3]");
    CHECK(problem_with(model, "multiplier.ell", std::numeric_limits<double>::quiet_NaN()) ==
          "parameter 'multiplier.ell' of effect model 'subgroup' must be a finite number; got NaN");
    CHECK(problem_with(model, "multiplier.ell", -std::numeric_limits<double>::infinity()) ==
          "parameter 'multiplier.ell' of effect model 'subgroup' must be a finite number; got -Inf");
    CHECK(problem_with(model, "lag.years", 1.5) ==
          "parameter 'lag.years' of effect model 'subgroup' must be a whole number; got 1.5");
    CHECK(problem_with(model, "enabled", 0.5) ==
          "parameter 'enabled' of effect model 'subgroup' must be true or false (1 or 0); got 0.5");
}
