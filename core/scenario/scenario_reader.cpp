#include "scenario/scenario_reader.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "common/evidence.hpp"
#include "common/subgroup.hpp"
#include "scenario/json_checks.hpp"
#include "scenario/json_reader.hpp"
#include "scenario/model_reader.hpp"

namespace pathways {
namespace {

using json::object_reader;

const std::vector<std::string> school_levels{"elementary", "middle", "high", "k8"};
const std::vector<std::string> spf_colours{"blue", "green", "yellow", "orange", "red"};
const std::vector<std::string> race_names{"hispanic",    "black",           "white",           "asian",
                                          "multiracial", "american_indian", "pacific_islander"};

/// Condition names are the model's condition ids after the first dot, so snake_case words. Values are
/// read up to the longest runway here; the loader holds each to its own range once it knows the model.
bool is_condition_name(const std::string& name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

std::string not_a_condition_name(const std::string& name) {
    return "'" + name +
           "' is not a condition name; expected the snake_case name of one of the model's conditions, "
           "its node id after the first dot (e.g. 'accountability_flexibility')";
}

bool is_bare_identifier(const std::string& name) {
    if (name.empty() || name.front() == '.' || name.find("..") != std::string::npos) return false;
    return std::all_of(name.begin(), name.end(),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-'; });
}

bool is_level_pattern(const std::string& pattern) {
    if (pattern == "*") return true;
    const std::string body = pattern.ends_with(".*") ? pattern.substr(0, pattern.size() - 2) : pattern;
    if (body.empty() || body.front() == '.' || body.back() == '.') return false;
    return std::all_of(body.begin(), body.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.'; });
}

position_index positions_of(const json::document& doc) {
    position_index index{doc.file, {}};
    for (const auto& [pointer, where] : doc.value_locations)
        index.positions.emplace(pointer, std::pair{where.line, where.column});
    return index;
}

/// Paths resolve relative to the file that names them and may not leave its folder.
std::optional<std::filesystem::path> resolve_path(object_reader& reader, std::string_view key,
                                                  const std::filesystem::path& base_file, bool required) {
    const auto text = required ? reader.required_string(key) : reader.optional_string(key);
    if (!text) return std::nullopt;
    const std::filesystem::path relative = std::filesystem::path(*text).lexically_normal();
    if (relative.is_absolute() || relative.empty() || *relative.begin() == "..") {
        reader.error_at(key, "path '" + *text + "' leaves the folder of " + base_file.filename().string() +
                                 "; expected a path relative to it, inside it");
        return std::nullopt;
    }
    return base_file.parent_path() / relative;
}

std::vector<level_rule> read_levels(object_reader& reader, std::string_view key, bool required) {
    std::vector<level_rule> rules;
    std::optional<object_reader> levels;
    if (required) levels.emplace(reader.child(key));
    else levels = reader.optional_child(key);
    if (!levels || !levels->valid()) return rules;
    for (const std::string& pattern : levels->members()) {
        if (!is_level_pattern(pattern)) {
            levels->error_at_key(pattern,
                                 "'" + pattern + "' is not a node pattern; expected '*', '<group>.*' or a node id");
            continue;
        }
        const json::location where = reader.doc().where(levels->pointer_of(pattern));
        const nlohmann::json* value = levels->optional_value(pattern);
        if (value == nullptr) continue;
        const auto level = json::read_number(reader.doc(), *value, levels->pointer_of(pattern), reader.out(), 0.0, 3.0);
        if (level)
            rules.push_back(
                {pattern, *level, {reader.doc().file, where.line, where.column, levels->pointer_of(pattern)}});
    }
    if (rules.empty() && levels->members().empty()) levels->error("no levels given; expected at least one pattern");
    return rules;
}

std::vector<std::string> read_string_list(object_reader& reader, std::string_view key,
                                          const std::vector<std::string>* allowed) {
    std::vector<std::string> values;
    const auto list = reader.optional_array(key);
    if (!list) return values;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const auto text = json::read_string(reader.doc(), (*list)[i], list->pointer_of(i), reader.out());
        if (!text) continue;
        if (allowed && std::find(allowed->begin(), allowed->end(), *text) == allowed->end()) {
            json::report_at(reader.doc(), reader.out(), list->pointer_of(i),
                            "unknown value '" + *text + "'" + did_you_mean(*text, *allowed));
            continue;
        }
        values.push_back(*text);
    }
    return values;
}

school_selector read_selector(object_reader schools) {
    school_selector selector;
    if (!schools.valid()) return selector;
    const bool by_ids = schools.has("ids");
    const bool by_filter = schools.has("tag") || schools.has("level") || schools.has("spf") || schools.has("count");
    if (by_ids == by_filter) {
        schools.error(
            "expected exactly one way to choose schools: 'ids', or filters 'tag'/'level'/'spf' with an optional "
            "'count'");
    }
    selector.ids = read_string_list(schools, "ids", nullptr);
    selector.tag = schools.optional_string("tag").value_or("");
    selector.levels = read_string_list(schools, "level", &school_levels);
    selector.spf = read_string_list(schools, "spf", &spf_colours);
    selector.count = schools.optional_integer("count", 1, 1'000'000);
    selector.seed = static_cast<std::uint64_t>(schools.optional_integer("seed", 0).value_or(0));
    return selector;
}

std::optional<stage_gate> read_gate(object_reader& item) {
    auto gate = item.optional_child("gate");
    if (!gate || !gate->valid()) return std::nullopt;
    stage_gate g;
    g.outcome = gate->required_string("outcome").value_or("");
    g.subgroup = gate->optional_string("subgroup").value_or("pl:yes");
    g.year = static_cast<int>(gate->required_integer("year", 1900, 2200).value_or(0));
    g.at_least = gate->required_number("at_least", -5.0, 5.0).value_or(0.0);
    g.measurement_se = gate->optional_number("measurement_se", 0.0, 5.0);
    gate->optional_string("description");
    const json::location where = item.doc().where(item.pointer_of("gate"));
    g.where = {item.doc().file, where.line, where.column, item.pointer_of("gate")};
    return g;
}

void read_waves(object_reader& implementation, const scenario& sc, const std::filesystem::path& path,
                implementation_plan& plan) {
    const auto waves = implementation.array("waves");
    if (!waves) return;
    if (waves->size() == 0) implementation.error_at("waves", "no waves; expected at least one wave of schools");
    for (std::size_t i = 0; i < waves->size(); ++i) {
        object_reader item(implementation.doc(), waves->pointer_of(i), implementation.out());
        if (!item.valid()) continue;
        wave w;
        w.name = item.optional_string("name").value_or("wave " + std::to_string(i + 1));
        const json::location where = implementation.doc().where(waves->pointer_of(i));
        w.where = {implementation.doc().file, where.line, where.column, waves->pointer_of(i)};
        const int last_year = sc.start_year + std::max(sc.years, 1) - 1;
        if (const auto year = item.required_integer("start_year", 1900, 2200)) {
            w.start_year = static_cast<int>(*year);
            if (sc.start_year > 0 && w.start_year < sc.start_year) {
                // The engine would start such a wave in the first year, so its schools would get years they never had.
                item.error_at("start_year", "wave starts in " + std::to_string(w.start_year) +
                                                ", before the horizon starts in " + std::to_string(sc.start_year) +
                                                "; expected a year from " + std::to_string(sc.start_year) +
                                                " (or an earlier /horizon/start_year)");
            }
            if (sc.start_year > 0 && sc.years > 0 && w.start_year > last_year) {
                item.error_at("start_year", "wave starts in " + std::to_string(w.start_year) +
                                                ", after the horizon ends in " + std::to_string(last_year) +
                                                "; expected a year up to " + std::to_string(last_year));
            }
        }
        w.schools = read_selector(item.child("schools"));
        if (const auto goals = resolve_path(item, "goals", path, false)) w.goals = *goals;
        // A goals file may set every target itself; `targets` then fills in what it leaves out.
        w.targets = read_levels(item, "targets", !item.has("goals"));
        w.gate = read_gate(item);
        plan.waves.push_back(std::move(w));
    }
}

void read_conditions(object_reader& implementation, implementation_plan& plan) {
    auto conditions = implementation.optional_child("conditions");
    if (!conditions || !conditions->valid()) return;
    for (const std::string& name : conditions->members()) {
        if (!is_condition_name(name)) {
            conditions->error_at_key(name, not_a_condition_name(name));
            continue;
        }
        const nlohmann::json* value = conditions->optional_value(name);
        if (value == nullptr) continue;
        if (const auto v = json::read_number(conditions->doc(), *value, conditions->pointer_of(name), conditions->out(),
                                             0.0, max_runway_years)) {
            plan.conditions[name] = *v;
        }
    }
}

/// An ingredient's basis: what one unit of it is counted per.
std::optional<cost_basis> read_cost_basis(object_reader& entry) {
    const std::string per = entry.optional_string("per").value_or("school");
    for (const cost_basis basis :
         {cost_basis::school, cost_basis::student, cost_basis::teacher, cost_basis::district}) {
        if (per == cost_basis_name(basis)) return basis;
    }
    entry.error_at("per", "unknown basis '" + per + "'; expected school, student, teacher or district" +
                              did_you_mean(per, {"school", "student", "teacher", "district"}));
    return std::nullopt;
}

/// What an ingredient's quantity follows (`scales_with`) and the change its amounts are for (`reference`).
void read_cost_scaling(object_reader& entry, cost_item& item) {
    const auto scales_with = entry.optional_string("scales_with");
    const auto reference = entry.optional_number("reference", 1e-6, 1e6);
    if (!scales_with) {
        if (reference) entry.error_at("reference", "reference without scales_with; expected both or neither");
        return;
    }
    const std::string& text = *scales_with;
    if (text == "practice_change") item.scales_with = cost_scaling::practice_change;
    else if (text == "foundation_change") item.scales_with = cost_scaling::foundation_change;
    else if (text == "driver_change") item.scales_with = cost_scaling::driver_change;
    else if (text.starts_with("condition:") && is_condition_name(text.substr(10))) {
        item.scales_with = cost_scaling::condition_change;
        item.condition = text.substr(10);
    } else {
        entry.error_at("scales_with", "unknown scaling '" + text +
                                          "'; expected practice_change, foundation_change, driver_change or "
                                          "condition:<name> (e.g. condition:central_office_alignment)");
        return;
    }
    if (!reference) {
        entry.error("cost item '" + item.name + "' scales with " + text +
                    " but gives no reference; expected \"reference\": the change its amounts are for (e.g. 1.5 "
                    "levels, or 0.4 of a condition)");
        return;
    }
    item.reference = *reference;
}

/// The `items` of a `costs` object: each ingredient a one-time and/or a per-year amount (or quantity at a
/// price), per school, student, teacher or the district, with what it follows, its source and evidence tag.
std::vector<cost_item> read_cost_items(object_reader& costs) {
    std::vector<cost_item> items;
    auto entries = costs.child("items");
    if (!entries.valid()) return items;
    for (const std::string& name : entries.members()) {
        if (!is_condition_name(name)) {
            entries.error_at_key(name, "cost item name '" + name + "' is not snake_case; expected e.g. coaching");
            continue;
        }
        object_reader entry(entries.doc(), entries.pointer_of(name), entries.out());
        if (!entry.valid()) continue;
        cost_item item;
        item.name = name;
        const auto one_time = entry.optional_number("one_time", 0.0, 1e12);
        const auto per_year = entry.optional_number("per_year", 0.0, 1e12);
        if (!entry.has("one_time") && !entry.has("per_year")) {
            entry.error("cost item '" + name + "' has no amount; expected one_time, per_year or both");
        }
        item.one_time = one_time.value_or(0.0);
        item.per_year = per_year.value_or(0.0);
        item.basis = read_cost_basis(entry).value_or(cost_basis::school);
        if (const auto price = entry.optional_number("price", 0.0, 1e12)) {
            item.price = *price;
            item.one_time_quantity = item.one_time;
            item.per_year_quantity = item.per_year;
            item.one_time *= *price;
            item.per_year *= *price;
            item.quantity_unit = entry.required_string("unit").value_or("");
        } else if (entry.has("unit")) {
            entry.error_at("unit", "unit without price; expected a price per unit, or amounts without a unit");
            entry.allow("unit");
        }
        read_cost_scaling(entry, item);
        item.uncertainty_factor = entry.optional_number("uncertainty_factor", 1.0, 100.0).value_or(1.0);
        item.source = entry.required_string("source").value_or("");
        item.evidence = entry.required_string("evidence").value_or("");
        if (!item.evidence.empty() && !is_evidence_tag(item.evidence)) {
            entry.error_at("evidence", "unknown evidence tag '" + item.evidence + "'; " + expected_evidence_tags());
        }
        items.push_back(std::move(item));
    }
    return items;
}

void read_implementation(object_reader implementation, const std::filesystem::path& path, scenario& sc) {
    if (!implementation.valid()) return;
    implementation_plan& plan = sc.plan;
    if (const auto ratings = resolve_path(implementation, "ratings", path, false)) plan.ratings = *ratings;
    read_conditions(implementation, plan);
    if (auto ramp = implementation.optional_child("ramp"); ramp && ramp->valid()) {
        plan.ramp.instant = ramp->optional_bool("instant").value_or(false);
        plan.ramp.years_to_half = ramp->optional_number("years_to_half", 0.1, 20.0).value_or(plan.ramp.years_to_half);
        plan.ramp.years_to_90 = ramp->optional_number("years_to_90", 0.2, 30.0).value_or(plan.ramp.years_to_90);
        if (plan.ramp.years_to_90 <= plan.ramp.years_to_half) {
            ramp->error("years_to_90 must be later than years_to_half; expected years_to_90 > years_to_half");
        }
    }
    if (auto fidelity = implementation.optional_child("fidelity"); fidelity && fidelity->valid()) {
        plan.fidelity.decay_per_doubling =
            fidelity->optional_number("decay_per_doubling", 0.1, 1.0).value_or(plan.fidelity.decay_per_doubling);
        plan.fidelity.reference_schools =
            fidelity->optional_number("reference_schools", 1.0, 1e6).value_or(plan.fidelity.reference_schools);
    }
    if (auto cut = implementation.optional_child("program_cut"); cut && cut->valid()) {
        plan.program_cut.annual_probability = cut->optional_number("annual_probability", 0.0, 1.0).value_or(0.0);
        // At least one year: a cut before the program's first year would be a plan that never starts.
        plan.program_cut.protected_years = cut->optional_number("protected_years", 1.0, max_runway_years);
        plan.program_cut.practices_years_to_half = cut->optional_number("practices_years_to_half", 0.1, 20.0)
                                                       .value_or(plan.program_cut.practices_years_to_half);
        plan.program_cut.gain_persistence =
            cut->optional_number("gain_persistence", 0.0, 1.0).value_or(plan.program_cut.gain_persistence);
    }
    read_waves(implementation, sc, path, plan);
    if (auto costs = implementation.optional_child("costs"); costs && costs->valid()) {
        plan.costs.currency = costs->optional_string("currency").value_or("");
        plan.costs.price_year = static_cast<int>(costs->optional_integer("price_year", 1900, 2200).value_or(0));
        plan.costs.items = read_cost_items(*costs);
    }
}

/// District-wide numbers dilute an effect over students the plan never reached, so "students in PL
/// schools" (pl:yes) and the others (pl:no) stand next to "all" unless the list names them itself.
void add_plan_reach_groups(std::vector<std::string>& subgroups) {
    const auto all = std::find(subgroups.begin(), subgroups.end(), "all");
    if (all == subgroups.end()) return;
    const bool named = std::any_of(subgroups.begin(), subgroups.end(), [](const std::string& group) {
        return group.starts_with("pl:") || group.find("&pl:") != std::string::npos;
    });
    if (!named) subgroups.insert(all + 1, {"pl:yes", "pl:no"});
}

void read_report(object_reader report, scenario& sc) {
    if (!report.valid()) return;
    if (const auto list = report.optional_array("subgroups")) {
        sc.report.subgroups.clear();
        for (std::size_t i = 0; i < list->size(); ++i) {
            const auto text = json::read_string(report.doc(), (*list)[i], list->pointer_of(i), report.out());
            if (!text) continue;
            std::string error;
            if (!parse_subgroup(*text, error)) json::report_at(report.doc(), report.out(), list->pointer_of(i), error);
            else sc.report.subgroups.push_back(*text);
        }
    }
    sc.report.outcomes = read_string_list(report, "outcomes", nullptr);
    if (const auto min_n = report.optional_integer("min_n", 1, 1'000'000)) {
        if (*min_n < publication_floor_min_n) {
            report.error_at("min_n", "min_n " + std::to_string(*min_n) + " is below the publication floor " +
                                         std::to_string(publication_floor_min_n) + "; expected " +
                                         std::to_string(publication_floor_min_n) +
                                         " or more (a smaller threshold can only "
                                         "be set with --min-n on the command line, which marks every output NOT FOR "
                                         "PUBLIC RELEASE)");
        } else {
            sc.report.min_n = *min_n;
        }
    }
    if (auto references = report.optional_child("reference_groups"); references && references->valid()) {
        for (const std::string& focal : references->members()) {
            std::string error;
            if (!parse_subgroup(focal, error)) references->error_at_key(focal, error);
            const nlohmann::json* value = references->optional_value(focal);
            if (value == nullptr) continue;
            const auto reference = json::read_string(report.doc(), *value, references->pointer_of(focal), report.out());
            if (!reference) continue;
            if (!parse_subgroup(*reference, error))
                json::report_at(report.doc(), report.out(), references->pointer_of(focal), error);
            sc.report.reference_groups.emplace_back(focal, *reference);
        }
    }
}

void read_effect_model(object_reader effect, scenario& sc) {
    if (!effect.valid()) return;
    if (const auto plugin = effect.required_string("plugin")) {
        if (!is_bare_identifier(*plugin)) {
            effect.error_at("plugin",
                            "plugin name '" + *plugin +
                                "' is not a bare name; expected letters, digits, '_' or '-' (no '/', '\\' or '..')");
        }
        sc.effect_model = *plugin;
    }
    auto parameters = effect.optional_child("parameters");
    if (!parameters || !parameters->valid()) return;
    for (const std::string& name : parameters->members()) {
        const nlohmann::json* value = parameters->optional_value(name);
        if (value == nullptr) continue;
        if (const auto number = json::read_number(effect.doc(), *value, parameters->pointer_of(name), effect.out())) {
            sc.parameters.emplace_back(name, *number);
            const json::location where = effect.doc().where(parameters->pointer_of(name));
            sc.parameter_locations[name] = {effect.doc().file, where.line, where.column, parameters->pointer_of(name)};
        }
    }
}

void read_model_reference(object_reader& root, const std::filesystem::path& path, scenario& sc) {
    const auto model = root.required_string("model");
    if (!model) return;
    sc.model_ref = *model;
    if (is_model_file_name(*model)) {
        root.allow("model");
        const std::filesystem::path relative = std::filesystem::path(*model).lexically_normal();
        if (relative.is_absolute() || *relative.begin() == "..") {
            root.error_at("model", "path '" + *model + "' leaves the folder of " + path.filename().string() +
                                       "; expected a path relative to it, inside it");
        } else {
            sc.model_path = path.parent_path() / relative;
        }
    } else if (*model != embedded_model_id) {
        root.error_at("model", "unknown model '" + *model + "'; expected '" + std::string(embedded_model_id) +
                                   "' or a path to a model file ending in .json, .lav, .lavaan, .dag or .dagitty" +
                                   did_you_mean(*model, {std::string(embedded_model_id)}));
    }
}

void read_scenario_body(const json::document& doc, const std::filesystem::path& path, scenario& sc, diagnostics& out) {
    object_reader root(doc, "", out);
    if (!root.valid()) return;
    if (const auto version = root.required_integer("pathways"); version && *version != 1) {
        root.error_at("pathways", "unsupported scenario format version " + std::to_string(*version) + "; expected 1");
    }
    sc.name = root.required_string("name").value_or("");
    sc.description = root.optional_string("description").value_or("");
    read_model_reference(root, path, sc);
    if (const auto district = resolve_path(root, "district", path, true)) sc.district_path = *district;
    if (auto horizon = root.child("horizon"); horizon.valid()) {
        sc.start_year = static_cast<int>(horizon.required_integer("start_year", 1900, 2200).value_or(0));
        sc.years = static_cast<int>(horizon.required_integer("years", 1, 50).value_or(0));
    }
    read_effect_model(root.child("effect_model"), sc);
    if (auto uncertainty = root.optional_child("uncertainty"); uncertainty && uncertainty->valid()) {
        sc.draws = uncertainty->optional_integer("draws", 0, max_draws).value_or(0);
        sc.seed = static_cast<std::uint64_t>(uncertainty->optional_integer("seed", 0, max_seed).value_or(0));
    }
    read_implementation(root.child("implementation"), path, sc);
    if (auto report = root.optional_child("report")) read_report(std::move(*report), sc);
    add_plan_reach_groups(sc.report.subgroups);
    root.allow("variants");
}

/// The longest one-line description of a variant: it stands beside the variant's name in tables.
constexpr std::size_t max_variant_description = 200;

/// A variant's "kind" and "description": what it stands for, not changes to the scenario.
variant_info read_variant_label(const json::document& doc, const std::string& pointer, const std::string& name,
                                diagnostics& out) {
    variant_info info;
    info.name = name;
    const nlohmann::json& patch = doc.root["variants"][name];
    if (const auto kind = patch.find("kind"); kind != patch.end()) {
        const std::string text = kind->is_string() ? kind->get<std::string>() : std::string();
        if (text == "plan" || text == "assumption") {
            info.kind = text == "plan" ? variant_kind::plan : variant_kind::assumption;
            info.labelled = true;
        } else {
            json::report_at(doc, out, pointer + "/kind",
                            "variant kind " + (kind->is_string() ? "'" + text + "'" : json::json_type_name(*kind)) +
                                " is not one; expected \"plan\" (something the district chooses) or \"assumption\" "
                                "(how the world might be)" +
                                (kind->is_string() ? did_you_mean(text, {"plan", "assumption"}) : std::string()));
        }
    }
    if (const auto description = patch.find("description"); description != patch.end()) {
        if (!description->is_string()) {
            json::report_at(doc, out, pointer + "/description",
                            "expected a string (one line saying what the variant stands for), got " +
                                json::json_type_name(*description));
        } else {
            info.description = description->get<std::string>();
            if (info.description.empty() || info.description.find('\n') != std::string::npos ||
                info.description.size() > max_variant_description) {
                json::report_at(doc, out, pointer + "/description",
                                "description is empty, longer than " + std::to_string(max_variant_description) +
                                    " characters or more than one line; expected one line saying what the variant "
                                    "stands for");
            }
        }
    }
    return info;
}

/// Variant names, checked; the variants' contents are checked when they are merged.
std::vector<std::string> read_variant_names(const json::document& doc, diagnostics& out,
                                            std::vector<variant_info>& labels) {
    std::vector<std::string> names;
    const auto it = doc.root.find("variants");
    if (it == doc.root.end()) return names;
    object_reader variants(doc, "/variants", out);
    if (!variants.valid()) return names;
    for (const std::string& name : variants.members()) {
        if (name == "base" || !is_bare_identifier(name)) {
            variants.error_at_key(name, "variant name '" + name +
                                            "' is reserved or not a bare name; expected letters, digits, '_' or '-'");
        }
        if (!doc.root["variants"][name].is_object()) {
            json::report_at(doc, out, variants.pointer_of(name),
                            "expected an object (a merge patch on the scenario), got " +
                                json::json_type_name(doc.root["variants"][name]));
            continue;
        }
        if (doc.root["variants"][name].contains("variants")) {
            json::report_at(
                doc, out, variants.pointer_of(name) + "/variants",
                "a variant cannot hold variants (they would be ignored); expected changes to the base scenario");
        }
        labels.push_back(read_variant_label(doc, variants.pointer_of(name), name, out));
        names.push_back(name);
    }
    return names;
}

/// The entries of `locations` under `prefix` + "/", re-keyed without `prefix`, into `target`.
template <typename Map>
void move_under(const Map& locations, const std::string& prefix, Map& target) {
    // '0' follows '/' in ASCII, so [prefix/, prefix0) is exactly the pointers below prefix.
    const auto first = locations.lower_bound(prefix + "/");
    const auto last = locations.lower_bound(prefix + "0");
    for (auto it = first; it != last; ++it) target[it->first.substr(prefix.size())] = it->second;
}

/// Erases `pointer` and every entry below it from a map or set keyed by pointer.
template <typename Map>
void erase_under(Map& locations, const std::string& pointer) {
    locations.erase(pointer);
    locations.erase(locations.lower_bound(pointer + "/"), locations.lower_bound(pointer + "0"));
}

/// The document without /variants: what every variant is merged onto.
json::document without_variants(const json::document& doc) {
    json::document base = doc;
    if (base.root.is_object()) base.root.erase("variants");
    erase_under(base.value_locations, "/variants");
    erase_under(base.key_locations, "/variants");
    erase_under(base.reported, "/variants");
    erase_under(base.underflowed, "/variants");
    return base;
}

}  // namespace

struct scenario_file::contents {
    std::filesystem::path path;
    json::document doc;            ///< the file as written
    json::document base;           ///< the file without /variants
    diagnostics variant_problems;  ///< problems of /variants itself, reported with every read
    std::vector<std::string> variant_names;
    std::vector<variant_info> variants;  ///< what each variant stands for, in the order of variant_names
};

std::optional<scenario_file> scenario_file::parse(const std::filesystem::path& path, diagnostics& out) {
    auto doc = json::parse_file(path, out);
    if (!doc) return std::nullopt;
    return from_document(std::move(*doc), path);
}

std::optional<scenario_file> scenario_file::parse_text(std::string_view text, const std::filesystem::path& path,
                                                       diagnostics& out) {
    auto doc = json::parse(text, path.string(), out);
    if (!doc) return std::nullopt;
    return from_document(std::move(*doc), path);
}

scenario_file scenario_file::from_document(json::document doc, const std::filesystem::path& path) {
    auto parsed = std::make_shared<contents>();
    parsed->path = path;
    parsed->variant_names = read_variant_names(doc, parsed->variant_problems, parsed->variants);
    parsed->base = without_variants(doc);
    parsed->doc = std::move(doc);
    return scenario_file(std::move(parsed));
}

const std::vector<std::string>& scenario_file::variant_names() const { return contents_->variant_names; }

std::optional<scenario> scenario_file::read(const std::string& variant, const scenario_edit& edit,
                                            diagnostics& out) const {
    diagnostics found;
    found.append(contents_->variant_problems);
    scenario sc;
    sc.file = contents_->doc.file;
    sc.variant_names = contents_->variant_names;
    sc.variants = contents_->variants;
    const auto edited = [&](json::document& target) {
        if (!edit) return true;
        diagnostics edit_problems;
        edit(target, edit_problems);
        found.append(edit_problems);
        return !edit_problems.has_errors();
    };
    if (variant == "base") {
        json::document doc = contents_->doc;
        if (edited(doc)) read_scenario_body(doc, contents_->path, sc, found);
        sc.where = positions_of(doc);
    } else if (std::find(sc.variant_names.begin(), sc.variant_names.end(), variant) == sc.variant_names.end()) {
        found.error(sc.file, 0, 0, "/variants",
                    "unknown variant '" + variant + "'" + did_you_mean(variant, sc.variant_names));
    } else {
        json::document merged = merge_variant(variant);
        if (edited(merged)) read_scenario_body(merged, contents_->path, sc, found);
        sc.variant = variant;
        sc.where = positions_of(merged);
    }
    const bool failed = found.has_errors();
    out.append(found);
    if (failed) return std::nullopt;
    return sc;
}

/// The base with one variant merged in; locations inside the patch point at the patch, so
/// diagnostics about a variant name the line the user wrote. Costs the base's size plus the
/// variant's, whatever the number of other variants.
json::document scenario_file::merge_variant(const std::string& variant) const {
    const json::document& doc = contents_->doc;
    json::document merged = contents_->base;
    const std::string prefix = "/variants/" + json::pointer_append("", variant).substr(1);
    // "kind" and "description" say what the variant stands for; they do not change the scenario.
    nlohmann::json patch = doc.root.at("variants").at(variant);
    patch.erase("kind");
    patch.erase("description");
    merged.root.merge_patch(patch);
    move_under(doc.value_locations, prefix, merged.value_locations);
    move_under(doc.key_locations, prefix, merged.key_locations);
    move_under(doc.underflowed, prefix, merged.underflowed);
    for (auto it = doc.reported.lower_bound(prefix + "/"); it != doc.reported.lower_bound(prefix + "0"); ++it) {
        merged.reported.insert(it->substr(prefix.size()));
    }
    return merged;
}

std::optional<scenario> read_scenario(const std::filesystem::path& path, const std::string& variant, diagnostics& out) {
    return read_scenario(path, variant, scenario_edit{}, out);
}

std::optional<scenario> read_scenario(const std::filesystem::path& path, const std::string& variant,
                                      const scenario_edit& edit, diagnostics& out) {
    const auto file = scenario_file::parse(path, out);
    if (!file) return std::nullopt;
    return file->read(variant, edit, out);
}

namespace {

std::optional<sourced_value> read_sourced(object_reader& parent, std::string_view key, double min, double max,
                                          bool required) {
    std::optional<object_reader> reader;
    if (required) reader.emplace(parent.child(key));
    else reader = parent.optional_child(key);
    if (!reader || !reader->valid()) return std::nullopt;
    const auto value = reader->required_number("value", min, max);
    const auto source = reader->required_string("source");
    const auto evidence = reader->required_string("evidence");
    if (evidence && !is_evidence_tag(*evidence)) {
        reader->error_at("evidence", "unknown evidence tag '" + *evidence + "'; " + expected_evidence_tags());
    }
    if (!value || !source || !evidence) return std::nullopt;
    return sourced_value{*value, *source, *evidence};
}

/// The discount rate (present value in the plan's first year) and the students per teacher that
/// items per teacher are counted by, each with its source.
void read_cost_rates(object_reader& costs, cost_settings& out) {
    if (auto rate = read_sourced(costs, "discount_rate", 0.0, 0.2, false)) out.discount_rate = *rate;
    out.students_per_teacher = read_sourced(costs, "students_per_teacher", 1.0, 200.0, false);
    const bool per_teacher = std::any_of(out.items.begin(), out.items.end(),
                                         [](const cost_item& item) { return item.basis == cost_basis::teacher; });
    if (per_teacher && !out.students_per_teacher && !costs.has("students_per_teacher")) {
        costs.error(
            "items per teacher need the district's students per teacher; expected \"students_per_teacher\": "
            "{\"value\": ..., \"source\": ..., \"evidence\": ...}");
    }
}

void read_odds(object_reader& seed, std::string_view key, std::array<double, 7>& odds) {
    odds.fill(1.0);
    auto table = seed.optional_child(key);
    if (!table || !table->valid()) return;
    // Every race is required: a race left out would silently get odds 1, the reference group's.
    for (std::size_t r = 0; r < race_names.size(); ++r) {
        odds[r] = table->required_number(race_names[r], 0.0, 1e6).value_or(1.0);
    }
}

void read_seed_table(object_reader seed, district_profile& district) {
    for (auto& row : district.seed.ell_given_race) row = {1.0, 1.0, 1.0};
    district.seed.frl_odds.fill(1.0);
    district.seed.sped_odds.fill(1.0);
    if (!seed.valid()) return;
    seed.optional_string("description");
    seed.optional_string("source");
    seed.optional_string("evidence");
    if (auto ell = seed.optional_child("ell_given_race"); ell && ell->valid()) {
        for (std::size_t r = 0; r < race_names.size(); ++r) {
            auto row = ell->child(race_names[r]);
            if (!row.valid()) continue;
            const std::array<const char*, 3> statuses{"non_ell", "ell", "exited"};
            auto& weights = district.seed.ell_given_race[r];
            for (std::size_t e = 0; e < statuses.size(); ++e) {
                weights[e] = row.required_number(statuses[e], 0.0, 1e6).value_or(1.0);
            }
            // A race's students must fall in some ELL status: a row of zeros leaves them nowhere.
            if (std::all_of(weights.begin(), weights.end(), [](double w) { return w == 0.0; })) {
                ell->error_at(race_names[r], "every weight of '" + std::string(race_names[r]) +
                                                 "' is 0; expected at least one positive weight (non_ell, ell or "
                                                 "exited)");
            }
        }
    }
    read_odds(seed, "frl_given_race", district.seed.frl_odds);
    read_odds(seed, "sped_given_race", district.seed.sped_odds);
}

void read_baselines(object_reader baseline, district_profile& district) {
    if (!baseline.valid()) return;
    for (const std::string& node : baseline.members()) {
        object_reader entry(baseline.doc(), baseline.pointer_of(node), baseline.out());
        if (!entry.valid()) continue;
        outcome_baseline b;
        b.node = node;
        b.proficient = entry.optional_number("proficient", 0.001, 0.999);
        b.source = entry.required_string("source").value_or("");
        b.evidence = entry.required_string("evidence").value_or("");
        if (!b.evidence.empty() && !is_evidence_tag(b.evidence)) {
            entry.error_at("evidence", "unknown evidence tag '" + b.evidence + "'; " + expected_evidence_tags());
        }
        if (auto offsets = entry.optional_child("offsets"); offsets && offsets->valid()) {
            for (const std::string& term : offsets->members()) {
                std::string error;
                const auto group = parse_subgroup(term, error);
                if (!group || group->terms.size() != 1) {
                    offsets->error_at_key(term, group ? "offset '" + term + "' must name one subgroup term" : error);
                    continue;
                }
                const nlohmann::json* value = offsets->optional_value(term);
                if (value == nullptr) continue;
                if (const auto v =
                        json::read_number(entry.doc(), *value, offsets->pointer_of(term), entry.out(), -5.0, 5.0)) {
                    b.offsets.emplace_back(term, *v);
                }
            }
        }
        district.baselines.push_back(std::move(b));
    }
}

/// The evidence tag at `key`, reported when missing or unknown.
std::string read_evidence(object_reader& entry) {
    const std::string evidence = entry.required_string("evidence").value_or("");
    if (!evidence.empty() && !is_evidence_tag(evidence)) {
        entry.error_at("evidence", "unknown evidence tag '" + evidence + "'; " + expected_evidence_tags());
    }
    return evidence;
}

void read_starting_levels(object_reader& levels, district_profile& district) {
    for (const std::string& pattern : levels.members()) {
        if (!is_level_pattern(pattern)) {
            levels.error_at_key(pattern,
                                "'" + pattern + "' is not a node pattern; expected '*', '<group>.*' or a node id");
            continue;
        }
        object_reader entry = levels.child(pattern);
        if (!entry.valid()) continue;
        const auto value = entry.required_number("value", 0.0, 3.0);
        const auto spread = entry.optional_number("between_school_sd", 0.0, 3.0);
        const auto source = entry.required_string("source");
        const std::string evidence = read_evidence(entry);
        if (!value || !source || evidence.empty()) continue;
        const json::location where = levels.doc().where(levels.pointer_of(pattern));
        district.starting_levels.push_back({pattern,
                                            *value,
                                            {levels.doc().file, where.line, where.column, levels.pointer_of(pattern)},
                                            spread.value_or(0.0)});
    }
}

void read_level_spread(object_reader spread, district_profile& district) {
    if (!spread.valid()) return;
    district.level_spread.seed = static_cast<std::uint64_t>(spread.required_integer("seed", 0).value_or(0));
    district.level_spread.correlation = spread.required_number("correlation", 0.0, 1.0).value_or(0.0);
    district.level_spread.source = spread.required_string("source").value_or("");
    district.level_spread.evidence = read_evidence(spread);
}

/// A between-school spread is only reproducible with a seed, which /starting_level_spread gives.
void require_no_spread(const object_reader& root, const district_profile& district) {
    for (const level_rule& rule : district.starting_levels) {
        if (rule.between_school_sd <= 0.0) continue;
        json::report_at(root.doc(), root.out(), rule.where.pointer + "/between_school_sd",
                        "a between-school spread needs /starting_level_spread; expected an object with seed, "
                        "correlation, source and evidence");
        return;
    }
}

/// Members of `reader` in the order the file gives them (nlohmann::json sorts keys).
std::vector<std::string> members_in_file_order(object_reader& reader) {
    std::vector<std::string> keys = reader.members();
    std::stable_sort(keys.begin(), keys.end(), [&](const std::string& a, const std::string& b) {
        const json::location la = reader.doc().key_where(reader.pointer_of(a));
        const json::location lb = reader.doc().key_where(reader.pointer_of(b));
        return std::pair{la.line, la.column} < std::pair{lb.line, lb.column};
    });
    return keys;
}

void read_trend_rates(object_reader& rates, outcome_trend& trend) {
    for (const std::string& term : members_in_file_order(rates)) {
        std::string error;
        const auto group = parse_subgroup(term, error);
        if (!group || group->terms.size() > 1) {
            rates.error_at_key(term, group ? "trend '" + term + "' must name 'all' or one subgroup term" : error);
            continue;
        }
        const nlohmann::json* value = rates.optional_value(term);
        if (value == nullptr) continue;
        if (const auto v = json::read_number(rates.doc(), *value, rates.pointer_of(term), rates.out(), -1.0, 1.0)) {
            trend.per_year.emplace_back(term, *v);
        }
    }
    if (rates.valid() && rates.members().empty())
        rates.error("no subgroup rates; expected at least one, e.g. \"all\": 0.0");
}

void read_trends(const json::document& doc, const json::array_ref& trends, district_profile& district,
                 diagnostics& out) {
    for (std::size_t i = 0; i < trends.size(); ++i) {
        object_reader entry(doc, trends.pointer_of(i), out);
        if (!entry.valid()) continue;
        outcome_trend trend;
        trend.node = entry.required_string("node").value_or("");
        const auto first = std::find_if(district.trends.begin(), district.trends.end(), [&](const outcome_trend& t) {
            return !trend.node.empty() && t.node == trend.node;
        });
        if (first != district.trends.end()) {
            entry.error_at("node", "second trend for '" + trend.node + "'; expected one entry per outcome node");
        }
        auto rates = entry.child("per_year");
        read_trend_rates(rates, trend);
        trend.source = entry.required_string("source").value_or("");
        trend.evidence = read_evidence(entry);
        district.trends.push_back(std::move(trend));
    }
}

/// A sourced object whose members other than source and evidence are numbers (race shares, level
/// shares): reads `names` in order into `values`, all required.
template <std::size_t N>
void read_sourced_shares(object_reader reader, const std::vector<std::string>& names, std::array<double, N>& values,
                         double min, double max) {
    if (!reader.valid()) return;
    for (std::size_t i = 0; i < N; ++i) values[i] = reader.required_number(names[i], min, max).value_or(0.0);
    reader.required_string("source");
    if (const auto evidence = reader.required_string("evidence"); evidence && !is_evidence_tag(*evidence)) {
        reader.error_at("evidence", "unknown evidence tag '" + *evidence + "'; " + expected_evidence_tags());
    }
}

const std::vector<std::string> level_names{"elementary", "middle", "high", "k8"};

void read_frl_bands(object_reader reader, national_marginals& marginals) {
    if (!reader.valid()) return;
    if (const auto bands = reader.array("bands")) {
        for (std::size_t i = 0; i < bands->size(); ++i) {
            object_reader band(reader.doc(), bands->pointer_of(i), reader.out());
            if (!band.valid()) continue;
            frl_band b;
            b.lower = band.required_number("lower", 0.0, 1.0).value_or(0.0);
            b.upper = band.required_number("upper", 0.0, 1.0).value_or(0.0);
            b.student_share = band.required_number("student_share", 0.0, 1.0).value_or(0.0);
            b.lean = band.required_number("lean", -10.0, 10.0).value_or(0.0);
            if (b.lower > b.upper) band.error_at("upper", "upper bound below the lower bound; expected lower <= upper");
            marginals.frl_bands.push_back(b);
        }
        if (bands->size() == 0) reader.error_at("bands", "no bands; expected at least one");
    }
    reader.required_string("source");
    reader.required_string("evidence");
}

void read_school_sizes(object_reader reader, national_marginals& marginals) {
    if (!reader.valid()) return;
    for (std::size_t level = 0; level < level_names.size(); ++level) {
        auto size = reader.child(level_names[level]);
        if (!size.valid()) continue;
        marginals.median_enrollment[level] = size.required_number("median", 1.0, 1e5).value_or(1.0);
        marginals.enrollment_log_sd[level] = size.required_number("log_sd", 0.0, 3.0).value_or(0.0);
    }
    reader.required_string("source");
    reader.required_string("evidence");
}

/// `synthesized_schools`: the national marginals a synthetic population of schools reproduces, each
/// with its source.
void read_synthesized_schools(object_reader reader, district_profile& district) {
    if (!reader.valid()) return;
    const std::size_t findings_before = reader.out().items().size();
    national_marginals m;
    district.synthesis_seed = static_cast<std::uint64_t>(reader.required_integer("seed", 0).value_or(0));
    m.schools =
        static_cast<std::int64_t>(read_sourced(reader, "schools", 1.0, 1e6, true).value_or(sourced_value{}).value);
    m.students =
        static_cast<std::int64_t>(read_sourced(reader, "students", 1.0, 1e8, true).value_or(sourced_value{}).value);
    read_sourced_shares(reader.child("race_shares"), race_names, m.race_shares, 0.0, 1.0);
    read_sourced_shares(reader.child("race_lean"), race_names, m.race_tilt, -10.0, 10.0);
    read_frl_bands(reader.child("frl_bands"), m);
    m.english_learner_share = read_sourced(reader, "english_learners", 0.0, 0.89, true).value_or(sourced_value{}).value;
    m.disability_share = read_sourced(reader, "disabilities", 0.0, 0.59, true).value_or(sourced_value{}).value;
    m.exited_ell_per_ell =
        read_sourced(reader, "exited_per_english_learner", 0.0, 10.0, true).value_or(sourced_value{}).value;
    read_sourced_shares(reader.child("level_shares"), level_names, m.level_shares, 0.0, 1.0);
    read_school_sizes(reader.child("school_sizes"), m);
    if (reader.out().items().size() > findings_before) return;  // the check below would repeat them
    if (const std::string problem = check_marginals(m); !problem.empty()) {
        reader.error(problem);
        return;
    }
    district.synthesized_schools = std::move(m);
}

void read_district_body(const json::document& doc, const std::filesystem::path& path, district_profile& district,
                        diagnostics& out) {
    object_reader root(doc, "", out);
    if (!root.valid()) return;
    if (const auto version = root.required_integer("pathways_district"); version && *version != 1) {
        root.error_at("pathways_district",
                      "unsupported district format version " + std::to_string(*version) + "; expected 1");
    }
    district.id = root.required_string("id").value_or("");
    district.name = root.required_string("name").value_or("");
    root.optional_string("description");
    if (auto synthesized = root.optional_child("synthesized_schools")) {
        read_synthesized_schools(std::move(*synthesized), district);
        if (root.has("schools_csv")) {
            root.error_at("schools_csv",
                          "a district's schools come from schools_csv or synthesized_schools; expected one, not both");
        }
    } else if (const auto csv = resolve_path(root, "schools_csv", path, true)) {
        district.schools_csv = *csv;
    }
    if (const auto enrollment = read_sourced(root, "enrollment", 1.0, 1e8, false)) district.enrollment = *enrollment;
    if (auto seed = root.optional_child("seed_table")) {
        read_seed_table(std::move(*seed), district);
    } else {
        for (auto& row : district.seed.ell_given_race) row = {1.0, 1.0, 1.0};
        district.seed.frl_odds.fill(1.0);
        district.seed.sped_odds.fill(1.0);
    }
    if (auto baseline = root.optional_child("baseline")) read_baselines(std::move(*baseline), district);
    if (auto levels = root.optional_child("starting_levels"); levels && levels->valid()) {
        read_starting_levels(*levels, district);
    }
    if (auto spread = root.optional_child("starting_level_spread")) {
        read_level_spread(std::move(*spread), district);
    } else {
        require_no_spread(root, district);
    }
    if (auto conditions = root.optional_child("conditions"); conditions && conditions->valid()) {
        for (const std::string& name : conditions->members()) {
            if (!is_condition_name(name)) {
                conditions->error_at_key(name, not_a_condition_name(name));
                continue;
            }
            if (const auto value = read_sourced(*conditions, name, 0.0, max_runway_years, true)) {
                district.conditions[name] = *value;
            }
        }
    }
    if (const auto trends = root.optional_array("trends")) read_trends(doc, *trends, district, out);
    if (auto costs = root.optional_child("costs"); costs && costs->valid()) {
        district.costs.currency = costs->required_string("currency").value_or("");
        district.costs.price_year = static_cast<int>(costs->required_integer("price_year", 1900, 2200).value_or(0));
        district.costs.items = read_cost_items(*costs);
        read_cost_rates(*costs, district.costs);
    }
}

}  // namespace

std::optional<district_profile> read_district(const std::filesystem::path& path, diagnostics& out) {
    diagnostics found;
    const auto doc = json::parse_file(path, found);
    if (!doc) {
        out.append(found);
        return std::nullopt;
    }
    district_profile district;
    district.file = doc->file;
    read_district_body(*doc, path, district, found);
    district.where = positions_of(*doc);
    const bool failed = found.has_errors();
    out.append(found);
    if (failed) return std::nullopt;
    return district;
}

}  // namespace pathways

namespace pathways {

input_file_kind detect_file_kind(const std::filesystem::path& path) {
    std::string extension = path.extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (extension == ".csv") return input_file_kind::schools_csv;
    if (extension == ".lav" || extension == ".lavaan" || extension == ".dag" || extension == ".dagitty") {
        return input_file_kind::model;  // a model in lavaan or DAGitty syntax
    }
    diagnostics ignored;
    const auto doc = json::parse_file(path, ignored);
    if (!doc || !doc->root.is_object()) return input_file_kind::scenario;
    if (doc->root.contains("pathways_model")) return input_file_kind::model;
    if (doc->root.contains("pathways_district")) return input_file_kind::district;
    if (doc->root.contains("pathways_references")) return input_file_kind::references;
    if (doc->root.contains("pathways_anchors")) return input_file_kind::anchors;
    if (doc->root.contains("pathways_parameters")) return input_file_kind::parameters;
    // An input file may name its schema for an editor; only a file that is nothing else is a schema.
    if (doc->root.contains("$schema") && !doc->root.contains("pathways")) return input_file_kind::json_schema;
    return input_file_kind::scenario;
}

std::string json_schema_message(const std::filesystem::path& path) {
    diagnostics ignored;
    const auto doc = json::parse_file(path, ignored);
    std::string title = "a JSON Schema";
    if (doc && doc->root.is_object() && doc->root.contains("title") && doc->root["title"].is_string()) {
        title = "the JSON Schema '" + doc->root["title"].get<std::string>() + "'";
    }
    return "this file is " + title +
           ", which describes input files but is not one; expected a scenario, model, "
           "district profile, references, anchors or parameter file, or a schools CSV (check a file against a "
           "schema with a JSON Schema validator, or give that file to pathways validate)";
}

}  // namespace pathways
