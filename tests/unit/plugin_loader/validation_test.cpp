#include <limits>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "common/text_safety.hpp"
#include "plugin/validation.hpp"

using namespace pathways;
using sdk::parameter_spec;
using sdk::parameter_type;
using sdk::prior_kind;

namespace {

void evaluate_nothing(const sdk::evaluation&) {}

std::vector<std::string> problems_of(std::span<const parameter_spec> parameters) {
    return model_problems({"model", "1", "", parameters, &evaluate_nothing, ""});
}

parameter_spec real_parameter(double default_value, double min, double max, sdk::prior prior = {}) {
    return {"p", parameter_type::real, "", default_value, min, max, prior, "", "", ""};
}

}  // namespace

TEST_CASE("model names are bare identifiers, never paths") {
    CHECK(is_bare_identifier("subgroup"));
    CHECK(is_bare_identifier("_private"));
    CHECK(is_bare_identifier("dose-response_2"));
    CHECK_FALSE(is_bare_identifier(""));
    CHECK_FALSE(is_bare_identifier("../evil"));
    CHECK_FALSE(is_bare_identifier("a/b"));
    CHECK_FALSE(is_bare_identifier("a\\b"));
    CHECK_FALSE(is_bare_identifier(".hidden"));
    CHECK_FALSE(is_bare_identifier("a..b"));
    CHECK_FALSE(is_bare_identifier("a.b"));
    CHECK_FALSE(is_bare_identifier("2fast"));
    CHECK_FALSE(is_bare_identifier("-flag"));
    CHECK_FALSE(is_bare_identifier("has space"));
}

TEST_CASE("parameter names are dotted identifiers") {
    CHECK(is_parameter_name("multiplier.race.black"));
    CHECK(is_parameter_name("effect"));
    CHECK(is_parameter_name("grade.3"));
    CHECK_FALSE(is_parameter_name(""));
    CHECK_FALSE(is_parameter_name("3.grade"));
    CHECK_FALSE(is_parameter_name(".a"));
    CHECK_FALSE(is_parameter_name("a."));
    CHECK_FALSE(is_parameter_name("a..b"));
    CHECK_FALSE(is_parameter_name("a/b"));
    CHECK_FALSE(is_parameter_name("bad name"));
}

TEST_CASE("a declared range must hold its default and be in order") {
    const parameter_spec inside[] = {real_parameter(0.5, 0.0, 1.0)};
    CHECK(problems_of(inside).empty());
    const parameter_spec below[] = {real_parameter(-0.5, 0.0, 1.0)};
    CHECK(problems_of(below) ==
          std::vector<std::string>{"parameter 'p': default -0.5 is outside the valid range [0, 1]"});
    const parameter_spec reversed[] = {real_parameter(0.5, 1.0, 0.0)};
    CHECK(problems_of(reversed) ==
          std::vector<std::string>{"parameter 'p': valid range [1, 0] is reversed; expected min <= max"});
    const parameter_spec infinite[] = {real_parameter(0.5, 0.0, std::numeric_limits<double>::infinity())};
    CHECK(problems_of(infinite) == std::vector<std::string>{"parameter 'p': default, min and max must be finite"});
}

TEST_CASE("integer and boolean parameters need whole defaults") {
    const parameter_spec fractional[] = {{"n", parameter_type::integer, "", 1.5, 0.0, 5.0, {}, "", "", ""}};
    CHECK(problems_of(fractional) ==
          std::vector<std::string>{"parameter 'n': integer parameter has a fractional default, min or max"});
    const parameter_spec maybe[] = {{"b", parameter_type::boolean, "", 0.5, 0.0, 1.0, {}, "", "", ""}};
    CHECK(problems_of(maybe) == std::vector<std::string>{"parameter 'b': boolean default 0.5 is not 0 or 1"});
}

TEST_CASE("priors must be well formed") {
    const parameter_spec negative_sd[] = {real_parameter(0.0, -1.0, 1.0, {prior_kind::normal, 0.0, -0.1, 0.0, 0.0})};
    CHECK(problems_of(negative_sd) ==
          std::vector<std::string>{"parameter 'p': prior sd -0.1 is negative; expected b >= 0"});
    const parameter_spec reversed[] = {real_parameter(0.0, -1.0, 1.0, {prior_kind::uniform, 0.0, 0.0, 1.0, -1.0})};
    CHECK(problems_of(reversed) ==
          std::vector<std::string>{"parameter 'p': prior bounds [1, -1] are reversed; expected lower <= upper"});
    const parameter_spec flat_beta[] = {real_parameter(0.0, -1.0, 1.0, {prior_kind::beta, 0.0, 2.0, 0.0, 1.0})};
    CHECK(problems_of(flat_beta) ==
          std::vector<std::string>{"parameter 'p': beta prior shapes must be positive; got a 0, b 2"});
    const parameter_spec not_finite[] = {
        real_parameter(0.0, -1.0, 1.0, {prior_kind::normal, std::numeric_limits<double>::quiet_NaN(), 1.0, 0.0, 0.0})};
    CHECK(problems_of(not_finite) ==
          std::vector<std::string>{"parameter 'p': prior has a non-finite number; expected finite a, b, lower, upper"});
}

TEST_CASE("a copied model owns its strings") {
    std::string name = "copied";
    std::string parameter_name = "rate";
    const parameter_spec parameters[] = {
        {parameter_name, parameter_type::real, "SD", 0.5, 0.0, 1.0, {}, "d", "s", "A"}};
    const model_handle model =
        copy_model({name, "2.1", "desc", parameters, &evaluate_nothing, parameter_name}, "/x/libpathways_c.so");
    name.assign("overwritten");
    parameter_name.assign("gone");
    CHECK(model.name == "copied");
    CHECK(model.version == "2.1");
    CHECK(model.file == "/x/libpathways_c.so");
    REQUIRE(model.parameters.size() == 1);
    CHECK(model.parameters[0].name == "rate");
    CHECK(model.parameters[0].unit == "SD");
    CHECK(model.parameters[0].evidence == "A");
    CHECK(model.evaluate == &evaluate_nothing);
    CHECK(model.calibration_parameter == "rate");
}

TEST_CASE("a calibration parameter must be a declared real parameter, or empty") {
    const parameter_spec parameters[] = {real_parameter(0.5, 0.0, 1.0),
                                         {"n", parameter_type::integer, "", 1.0, 0.0, 5.0, {}, "", "", ""}};
    CHECK(model_problems({"model", "1", "", parameters, &evaluate_nothing, ""}).empty());
    CHECK(model_problems({"model", "1", "", parameters, &evaluate_nothing, "p"}).empty());
    CHECK(model_problems({"model", "1", "", parameters, &evaluate_nothing, "gain"}) ==
          std::vector<std::string>{
              "calibration_parameter 'gain' is not a declared parameter; expected the name of one, or empty"});
    CHECK(model_problems({"model", "1", "", parameters, &evaluate_nothing, "n"}) ==
          std::vector<std::string>{
              "calibration_parameter 'n' is not a real parameter; expected a continuous knob to solve for"});
}

TEST_CASE("numbers print in their shortest exact form") {
    CHECK(shortest_number(0.1) == "0.1");
    CHECK(shortest_number(2.0) == "2");
    CHECK(shortest_number(-0.25) == "-0.25");
    CHECK(shortest_number(std::numeric_limits<double>::quiet_NaN()) == "NaN");
    CHECK(shortest_number(std::numeric_limits<double>::infinity()) == "Inf");
    CHECK(shortest_number(-std::numeric_limits<double>::infinity()) == "-Inf");
}
