#pragma once
/// \file
/// What learning more before choosing among a scenario's plans would be worth: the plans' net benefit
/// in every draw at a stated willingness to pay (dollars per SD per student on the headline outcome,
/// for all students), EVPI, and EVPPI per group of uncertain inputs (engine/value_of_information.hpp),
/// per student and for the district, with a sentence a board reads.

#include <string>
#include <vector>

#include "engine/value_of_information.hpp"
#include "run/execute.hpp"

namespace pathways {

/// EVPPI of one group of inputs.
struct group_information_value {
    std::string group;
    std::vector<std::string> inputs;
    evppi_estimate per_student;  ///< dollars per student
    std::string problem;         ///< why it could not be estimated (too few draws); empty when it was
};

struct information_values {
    double willingness_to_pay = 0.0;  ///< dollars per SD per student
    std::string currency;
    std::string outcome;
    std::size_t draws = 0;
    double students = 0.0;                     ///< students in the district
    std::vector<std::string> options;          ///< the plans, then "business as usual"
    std::vector<double> expected_net_benefit;  ///< per option, per student
    std::size_t best = 0;                      ///< the option with the largest expected net benefit
    double evpi_per_student = 0.0;
    std::vector<group_information_value> groups;
};

/// The value of information of the plans among `results` (runs that kept their final year's draws and
/// have costs; assumptions are left out: they are no choice), with the inputs the first run sampled in
/// every draw and its cost items' price factors. Throws std::invalid_argument when no run is a plan
/// with costs and draws.
information_values value_of_information(const run_results& results, const std::string& outcome,
                                        double willingness_to_pay);

/// The terminal text: the options' expected net benefit, EVPI and each group's EVPPI per student and
/// for the district, and one sentence about the group most worth learning about.
std::string information_values_text(const information_values& values);

}  // namespace pathways
