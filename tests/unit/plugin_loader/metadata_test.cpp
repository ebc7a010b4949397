// The metadata record: what the SDK macro writes at compile time is what the host decodes, and a broken
// or foreign record is refused with what is wrong.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "pathways/sdk/effect_model.hpp"
#include "plugin/plugin_metadata.hpp"

using namespace pathways;
using Catch::Matchers::StartsWith;

namespace {

void evaluate_nothing(const sdk::evaluation&) {}

constexpr sdk::parameter_spec parameters[] = {
    {"gain",
     sdk::parameter_type::real,
     "SD",
     0.5,
     -1.0,
     1.0,
     {sdk::prior_kind::beta, 2.0, 3.0, -0.5, 0.75},
     "how much",
     "a source",
     "R"},
};
constexpr sdk::effect_model_info models[] = {
    {"alpha", "1.2.3", "first", parameters, &evaluate_nothing, "gain"},
    {"beta", "0.1", "", {}, nullptr, ""},
};
constexpr auto record =
    sdk::metadata::make_record<sdk::metadata::record_size(sdk::abi_version, PATHWAYS_BUILD_FINGERPRINT, models)>(
        sdk::abi_version, PATHWAYS_BUILD_FINGERPRINT, models);

std::vector<std::uint8_t> record_bytes() { return {std::begin(record.bytes), std::end(record.bytes)}; }

std::string problem_with(const std::vector<std::uint8_t>& bytes) {
    std::string problem;
    CHECK_FALSE(decode_plugin_metadata(bytes, "f.so", problem).has_value());
    return problem;
}

}  // namespace

TEST_CASE("a record written at compile time decodes to exactly what was declared") {
    // Header: "PATHWAYS", record version 1, ABI 3, then the record's own size, all little-endian.
    const std::vector<std::uint8_t> bytes = record_bytes();
    CHECK(std::string(bytes.begin(), bytes.begin() + 8) == "PATHWAYS");
    CHECK(std::vector<std::uint8_t>(bytes.begin() + 8, bytes.begin() + 16) ==
          std::vector<std::uint8_t>{1, 0, 0, 0, 3, 0, 0, 0});
    const std::size_t size = bytes[16] | (bytes[17] << 8);
    CHECK(size == bytes.size());

    std::string problem;
    const auto decoded = decode_plugin_metadata(bytes, "/p/libpathways_a.so", problem);
    REQUIRE(decoded.has_value());
    CHECK(problem.empty());
    CHECK(decoded->abi_version == 3);
    CHECK(decoded->fingerprint == PATHWAYS_BUILD_FINGERPRINT);
    REQUIRE(decoded->models.size() == 2);
    const declared_model& alpha = decoded->models[0];
    CHECK(alpha.model.name == "alpha");
    CHECK(alpha.model.version == "1.2.3");
    CHECK(alpha.model.description == "first");
    CHECK(alpha.model.calibration_parameter == "gain");
    CHECK(alpha.model.file == "/p/libpathways_a.so");
    CHECK(alpha.has_evaluate);
    REQUIRE(alpha.model.parameters.size() == 1);
    const parameter_info& gain = alpha.model.parameters[0];
    CHECK(gain.name == "gain");
    CHECK(gain.unit == "SD");
    CHECK(gain.type == sdk::parameter_type::real);
    CHECK(gain.default_value == 0.5);
    CHECK(gain.min == -1.0);
    CHECK(gain.max == 1.0);
    CHECK(gain.uncertainty.kind == sdk::prior_kind::beta);
    CHECK(gain.uncertainty.a == 2.0);
    CHECK(gain.uncertainty.b == 3.0);
    CHECK(gain.uncertainty.lower == -0.5);
    CHECK(gain.uncertainty.upper == 0.75);
    CHECK(gain.description == "how much");
    CHECK(gain.source == "a source");
    CHECK(gain.evidence == "R");
    CHECK(decoded->models[1].model.name == "beta");
    CHECK_FALSE(decoded->models[1].has_evaluate);
    CHECK(decoded->models[1].model.parameters.empty());
}

TEST_CASE("a record from another ABI is refused naming both versions, before its body is read") {
    std::vector<std::uint8_t> bytes = record_bytes();
    bytes[12] = 1;
    bytes.resize(sdk::metadata::header_size);  // the body of another ABI may look like anything
    CHECK(problem_with(bytes) ==
          "ABI version mismatch: got 1, supported 3; rebuild the plugin against this pathways SDK");
}

TEST_CASE("a foreign or damaged record is refused with what is wrong") {
    const std::vector<std::uint8_t> good = record_bytes();
    std::vector<std::uint8_t> bytes = good;
    bytes[0] = 'X';
    CHECK(problem_with(bytes) ==
          "malformed metadata record: it does not start with 'PATHWAYS'; expected a record "
          "written by PATHWAYS_EFFECT_PLUGIN");
    bytes = good;
    bytes[8] = 9;
    CHECK(problem_with(bytes) ==
          "metadata record version mismatch: got 9, supported 1; rebuild the plugin against "
          "this pathways SDK");
    bytes = good;
    bytes.push_back(0);
    CHECK_THAT(problem_with(bytes), StartsWith("malformed metadata record: it says " + std::to_string(good.size()) +
                                               " bytes, the section has " + std::to_string(good.size() + 1)));
}

TEST_CASE("every truncation and every single-byte change of a record is decoded or refused, never a crash") {
    const std::vector<std::uint8_t> good = record_bytes();
    for (std::size_t length = 0; length < good.size(); ++length) {
        std::vector<std::uint8_t> bytes(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(length));
        CHECK_FALSE(problem_with(bytes).empty());
    }
    for (std::size_t at = 0; at < good.size(); ++at) {
        for (const std::uint8_t value : {std::uint8_t{0}, std::uint8_t{0x7f}, std::uint8_t{0xff}}) {
            std::vector<std::uint8_t> bytes = good;
            bytes[at] = value;
            std::string problem;
            const auto decoded = decode_plugin_metadata(bytes, "f.so", problem);
            CHECK(decoded.has_value() == problem.empty());
        }
    }
}
