#include "report/evidence_caveat.hpp"

#include <cmath>

#include "common/text_format.hpp"
#include "stats/normal.hpp"

namespace pathways {

std::string assumed_links_sentence(const model_definition& model) {
    std::size_t links = 0;
    std::size_t assumed = 0;
    for (const model_edge& edge : model.edges) {
        if (edge.role != edge_role::effect) continue;
        ++links;
        if (edge.evidence == "A") ++assumed;
    }
    if (assumed == links) {
        return "Every one of the model's " + std::to_string(links) +
               " link weights is an assumption (tag A), so which practice matters most is the model's assumption, "
               "not a finding.";
    }
    return std::to_string(assumed) + " of the model's " + std::to_string(links) +
           " link weights are assumptions (tag A); pathways describe shows each with its source.";
}

std::vector<std::string> evidence_caveat(const model_definition& model) {
    std::vector<std::string> sentences;
    if (!model.evidence_summary.empty()) sentences.push_back(model.evidence_summary);
    sentences.push_back(assumed_links_sentence(model));
    if (model.average_effect && model.average_effect->relative_sd > 0.0) {
        // A district's average effect is the model's central effect times a factor with mean 1 and this SD.
        const double harm = stats::normal_cdf(-1.0 / model.average_effect->relative_sd);
        sentences.push_back(
            "Weighing those studies together, a district's average effect is at or below zero with "
            "probability " +
            fixed(harm, 2) +
            "; the effect models agree on the first year by construction and differ in how effects "
            "build up and fade (pathways compare-models).");
    }
    return sentences;
}

std::string evidence_caveat_text(const model_definition& model) {
    std::string text;
    for (const std::string& sentence : evidence_caveat(model)) text += (text.empty() ? "" : " ") + sentence;
    return text;
}

}  // namespace pathways
