#include "scenario/graph_syntax.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <map>
#include <set>
#include <unordered_map>

#include "common/text_format.hpp"
#include "common/version.hpp"
#include "scenario/json_reader.hpp"
#include "scenario/model_reader.hpp"
#include "scenario/model_writer.hpp"

namespace pathways {
namespace {

/// The shortest text that reads back to the same double, so weights survive a round trip exactly.
std::string exact_number(double value) {
    std::array<char, 32> text{};
    const auto result = std::to_chars(text.data(), text.data() + text.size(), value);
    return std::string(text.data(), result.ptr);
}

bool carries_weight(const model_edge& edge) { return edge.role != edge_role::moderator; }

// ---------------------------------------------------------------------------------------------
// Tokens shared by both languages: words, numbers, strings and punctuation, each with its position.

struct token {
    enum class type { word, number, string, symbol, end_of_statement };
    type kind = type::symbol;
    std::string text;
    std::size_t line = 0;
    std::size_t column = 0;
};

bool is_word_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.'; }
bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.'; }

class scanner {
public:
    scanner(std::string_view text, std::vector<std::string_view> symbols) : text_(text), symbols_(std::move(symbols)) {}

    [[nodiscard]] bool done() const { return at_ >= text_.size(); }
    [[nodiscard]] char peek() const { return done() ? '\0' : text_[at_]; }
    [[nodiscard]] std::size_t line() const { return line_; }
    [[nodiscard]] std::size_t column() const { return at_ - line_start_ + 1; }

    void advance(std::size_t count = 1) {
        for (std::size_t i = 0; i < count && !done(); ++i, ++at_) {
            if (text_[at_] == '\n') {
                ++line_;
                line_start_ = at_ + 1;
            }
        }
    }

    void skip_to_line_end() {
        while (!done() && peek() != '\n') advance();
    }

    /// The longest symbol starting here, or an empty view.
    [[nodiscard]] std::string_view symbol_here() const {
        std::string_view best;
        for (const std::string_view s : symbols_) {
            if (s.size() > best.size() && text_.substr(at_, s.size()) == s) best = s;
        }
        return best;
    }

    [[nodiscard]] std::string_view rest() const { return text_.substr(at_); }

private:
    std::string_view text_;
    std::vector<std::string_view> symbols_;
    std::size_t at_ = 0;
    std::size_t line_ = 1;
    std::size_t line_start_ = 0;
};

void report(diagnostics& out, const std::string& file, std::size_t line, std::size_t column, severity level,
            std::string message) {
    out.add({file, line, column, "", level, std::move(message)});
}

bool has_errors_since(const diagnostics& out, std::size_t findings_before) {
    return std::any_of(out.items().begin() + static_cast<std::ptrdiff_t>(findings_before), out.items().end(),
                       [](const diagnostic& d) { return d.level == severity::error; });
}

void error_at(diagnostics& out, const std::string& file, const token& t, std::string message) {
    report(out, file, t.line, t.column, severity::error, std::move(message));
}

// ---------------------------------------------------------------------------------------------
// Node kinds for a graph that came without them.

struct inferred_kinds {
    std::vector<node_kind> kinds;
    std::size_t set_by_plan = 0, intermediate = 0, final_outcomes = 0, isolated = 0;
};

/// Exogenous nodes are what a plan sets (foundational practices, on the 0-3 continuum, which need no
/// primary driver to belong to); sinks are academic outcomes; nodes in between student outcomes; nodes
/// with no edge at all conditions.
inferred_kinds infer_kinds(const std::vector<std::string>& ids, const std::vector<model_edge>& edges) {
    inferred_kinds result;
    for (const std::string& id : ids) {
        const bool has_cause = std::any_of(edges.begin(), edges.end(), [&](const model_edge& e) { return e.to == id; });
        const bool has_effect =
            std::any_of(edges.begin(), edges.end(), [&](const model_edge& e) { return e.from == id; });
        node_kind kind = node_kind::student_outcome;
        if (!has_cause && !has_effect) {
            kind = node_kind::condition;
            ++result.isolated;
        } else if (!has_cause) {
            kind = node_kind::foundational_practice;
            ++result.set_by_plan;
        } else if (!has_effect) {
            kind = node_kind::academic_outcome;
            ++result.final_outcomes;
        } else {
            ++result.intermediate;
        }
        result.kinds.push_back(kind);
    }
    return result;
}

std::string kinds_summary(const inferred_kinds& k) {
    return std::to_string(k.set_by_plan) + " without causes as foundational practices (levels a plan sets), " +
           std::to_string(k.intermediate) + " in between as student outcomes, " + std::to_string(k.final_outcomes) +
           " without effects as academic outcomes, " + std::to_string(k.isolated) + " without edges as conditions";
}

model_node imported_node(const std::string& id, node_kind kind, const std::string& file) {
    model_node node;
    node.id = id;
    node.label = id;
    node.kind = kind;
    node.scale = kind == node_kind::foundational_practice ? "level 0-3" : "SD";
    node.description =
        "Read from " + std::filesystem::path(file).filename().string() + "; its kind was inferred from the graph";
    return node;
}

/// An edge read from a lavaan or DAGitty file: a fixed weight, sourced to its line (evidence A).
model_edge imported_edge(const std::string& from, const std::string& to, double weight, const std::string& file,
                         const token& where, const std::string& label = "") {
    model_edge edge;
    edge.from = from;
    edge.to = to;
    edge.weight = edge.range_low = edge.range_high = weight;
    edge.uncertainty = {prior_kind::fixed, weight, 0.0, 0.0, 0.0};
    edge.source = std::filesystem::path(file).filename().string() + ", line " + std::to_string(where.line) +
                  (label.empty() ? "" : " (label " + label + ")");
    edge.evidence = "A";
    edge.where = {file, where.line, where.column, ""};
    return edge;
}

void check_node_id(diagnostics& out, const std::string& file, const token& t) {
    if (!is_valid_node_id(t.text)) {
        error_at(out, file, t,
                 "invalid node id '" + t.text + "'; expected dotted snake_case ([a-z0-9_] words joined by '.')");
    }
}

// ---------------------------------------------------------------------------------------------
// lavaan

constexpr const char* metadata_prefix = "#@";

std::string lavaan_header(const model_definition& model) {
    return "# " + model.name + " (" + model.id + "): the theory of change as a lavaan model, written by pathways " +
           version +
           ".\n"
           "# Each regression fixes its coefficients to the edges' weights (SD of the node per unit of each\n"
           "# cause), so lavaan's implied total effects are those `pathways effects` prints. Moderator edges have\n"
           "# no lavaan form: they and the rest of the model (kinds, labels, sources, priors) are the model file\n"
           "# in the #@ lines, which lavaan ignores and `pathways ... --model FILE.lav` reads back.\n";
}

/// Whether `id` names a node computed from subgroup means (a gap), which no regression describes.
bool is_derived_node(const model_definition& model, const std::string& id) {
    return std::any_of(model.nodes.begin(), model.nodes.end(),
                       [&](const model_node& node) { return node.id == id && node.derived != derived_metric::none; });
}

std::string lavaan_regressions(const model_definition& model) {
    std::string text;
    for (const model_node& node : model.nodes) {
        std::string terms;
        for (const model_edge& edge : model.edges) {
            if (edge.to != node.id || !carries_weight(edge)) continue;
            terms += (terms.empty() ? "" : " + ") + exact_number(edge.weight) + "*" + edge.from;
        }
        if (terms.empty()) continue;
        if (node.derived == derived_metric::none) {
            text += node.id + " ~ " + terms + "\n";
            continue;
        }
        // A gap is the reference group's mean minus the focal group's, computed from subgroup means: a
        // regression would claim that achievement causes it within a student. Its links stay in the #@ lines.
        text += "# " + node.id + " is not regressed: it is the " + std::string(to_string(node.derived)) +
                " (reference group's mean minus the focal group's) of " + terms + "\n";
    }
    return text;
}

/// A regression term: `to ~ [coefficient*]from`.
struct lavaan_term {
    std::string from, to;
    std::optional<double> weight;  ///< nullopt for a free (labelled or bare) coefficient
    std::string label;
    token where;
};

struct lavaan_statements {
    std::vector<lavaan_term> terms;
    std::vector<std::string> names;  ///< every variable, in order of first appearance
};

/// lavaan's tokens; a statement ends at `;` or at a line end unless the line ends in, or the next
/// line starts with, an operator that needs more (`+`, `*`, `~`).
std::vector<std::vector<token>> lavaan_statement_tokens(std::string_view text) {
    scanner in(text, {"=~", "~~", "~*~", "~", ":=", "==", "<", ">", "+", "*", "(", ")", ",", "|", ";", "-"});
    std::vector<std::vector<token>> statements(1);
    const auto close = [&] {
        if (!statements.back().empty()) statements.emplace_back();
    };
    while (!in.done()) {
        const char c = in.peek();
        if (c == '#' || c == '!') {
            in.skip_to_line_end();
        } else if (c == '\n') {
            const auto& open = statements.back();
            const bool continues = !open.empty() && (open.back().text == "+" || open.back().text == "*" ||
                                                     open.back().text.find('~') != std::string::npos);
            in.advance();
            const std::size_t next = in.rest().find_first_not_of(" \t\r");
            const bool next_continues =
                next != std::string_view::npos && (in.rest()[next] == '+' || in.rest()[next] == '*');
            if (!continues && !next_continues) close();
        } else if (std::isspace(static_cast<unsigned char>(c)) != 0) {
            in.advance();
        } else if (std::isdigit(static_cast<unsigned char>(c)) != 0 ||
                   (c == '.' && in.rest().size() > 1 && std::isdigit(static_cast<unsigned char>(in.rest()[1])) != 0)) {
            token t{token::type::number, "", in.line(), in.column()};
            while (!in.done() && (std::isalnum(static_cast<unsigned char>(in.peek())) != 0 || in.peek() == '.' ||
                                  ((in.peek() == '-' || in.peek() == '+') && !t.text.empty() &&
                                   (t.text.back() == 'e' || t.text.back() == 'E')))) {
                t.text += in.peek();
                in.advance();
            }
            statements.back().push_back(std::move(t));
        } else if (is_word_start(c)) {
            token t{token::type::word, "", in.line(), in.column()};
            while (!in.done() && is_word_char(in.peek())) {
                t.text += in.peek();
                in.advance();
            }
            statements.back().push_back(std::move(t));
        } else if (const std::string_view symbol = in.symbol_here(); !symbol.empty()) {
            if (symbol == ";") {
                close();
            } else {
                statements.back().push_back({token::type::symbol, std::string(symbol), in.line(), in.column()});
            }
            in.advance(symbol.size());
        } else {
            statements.back().push_back({token::type::symbol, std::string(1, c), in.line(), in.column()});
            in.advance();
        }
    }
    if (statements.back().empty()) statements.pop_back();
    return statements;
}

void remember(lavaan_statements& found, const std::string& name) {
    if (std::find(found.names.begin(), found.names.end(), name) == found.names.end()) found.names.push_back(name);
}

/// One `+`-separated term of a regression's right-hand side, from `tokens[at]`; returns the index after it.
std::size_t read_lavaan_term(const std::vector<token>& tokens, std::size_t at, const std::vector<std::string>& targets,
                             lavaan_statements& found, const std::string& file, diagnostics& out) {
    lavaan_term term;
    std::size_t i = at;
    bool negative = false;
    if (i < tokens.size() && tokens[i].text == "-") {
        negative = true;
        ++i;
    }
    if (i + 1 < tokens.size() && tokens[i + 1].text == "*") {
        const token& modifier = tokens[i];
        if (modifier.kind == token::type::number) {
            term.weight = parse_number(modifier.text);
            if (!term.weight)
                error_at(out, file, modifier,
                         "'" + modifier.text + "' is not a number; expected a fixed coefficient such as 0.15");
            else if (negative) term.weight = -*term.weight;
        } else if (modifier.kind == token::type::word && modifier.text != "NA") {
            term.label = modifier.text;
        } else if (modifier.text != "NA") {
            error_at(out, file, modifier,
                     "unsupported modifier '" + modifier.text + "'; expected a fixed number or a label");
        }
        i += 2;
    } else if (i + 1 < tokens.size() && tokens[i + 1].text == "(") {
        error_at(out, file, tokens[i],
                 "modifier '" + tokens[i].text + "(...)' has no pathways form; expected a fixed number, as in 0.15*x");
        while (i < tokens.size() && tokens[i].text != "+") ++i;
        return i;
    }
    if (i >= tokens.size() || tokens[i].kind == token::type::symbol) {
        const token& where = i < tokens.size() ? tokens[i] : tokens.back();
        error_at(out, file, where, "expected a variable name after '~' or '+'");
        while (i < tokens.size() && tokens[i].text != "+") ++i;
        return i;
    }
    const token& name = tokens[i];
    if (name.kind == token::type::number && name.text == "1") return i + 1;  // an intercept: no edge
    check_node_id(out, file, name);
    remember(found, name.text);
    for (const std::string& to : targets) {
        term.from = name.text;
        term.to = to;
        term.where = name;
        found.terms.push_back(term);
    }
    ++i;
    if (i < tokens.size() && tokens[i].text != "+") {
        error_at(out, file, tokens[i],
                 "unexpected '" + tokens[i].text + "'; expected '+' or the end of the regression");
        while (i < tokens.size() && tokens[i].text != "+") ++i;
    }
    return i;
}

void read_lavaan_regression(const std::vector<token>& tokens, std::size_t tilde, lavaan_statements& found,
                            const std::string& file, diagnostics& out) {
    std::vector<std::string> targets;
    for (std::size_t i = 0; i < tilde; ++i) {
        if (tokens[i].text == "+") continue;
        if (tokens[i].kind != token::type::word) {
            error_at(out, file, tokens[i], "unexpected '" + tokens[i].text + "' before '~'; expected variable names");
            return;
        }
        check_node_id(out, file, tokens[i]);
        remember(found, tokens[i].text);
        targets.push_back(tokens[i].text);
    }
    if (targets.empty()) {
        error_at(out, file, tokens[tilde], "a regression without a dependent variable; expected 'y ~ 0.1*x'");
        return;
    }
    std::size_t i = tilde + 1;
    if (i >= tokens.size()) error_at(out, file, tokens[tilde], "a regression without predictors; expected 'y ~ 0.1*x'");
    while (i < tokens.size()) {
        i = read_lavaan_term(tokens, i, targets, found, file, out);
        if (i < tokens.size() && tokens[i].text == "+") ++i;
    }
}

lavaan_statements read_lavaan_statements(std::string_view text, const std::string& file, diagnostics& out) {
    lavaan_statements found;
    for (const std::vector<token>& tokens : lavaan_statement_tokens(text)) {
        const auto op = std::find_if(tokens.begin(), tokens.end(), [](const token& t) {
            return t.kind == token::type::symbol &&
                   (t.text == "~" || t.text == "=~" || t.text == "~~" || t.text == "~*~" || t.text == ":=" ||
                    t.text == "==" || t.text == "<" || t.text == ">" || t.text == "|");
        });
        if (op == tokens.end()) {
            error_at(out, file, tokens.front(), "a statement without an operator; expected a regression 'y ~ 0.1*x'");
        } else if (op->text == "~") {
            read_lavaan_regression(tokens, static_cast<std::size_t>(op - tokens.begin()), found, file, out);
        } else if (op->text == "=~") {
            error_at(out, file, *op,
                     "latent variable definition '=~' has no pathways form; expected regressions ('~') between "
                     "observed nodes");
        } else {
            report(out, file, op->line, op->column, severity::note,
                   "'" + op->text + "' statement skipped: pathways reads regressions ('~') only");
        }
    }
    return found;
}

/// The `#@` lines as the model file they are, every other character blanked, so that the JSON
/// reader's line and column are the lavaan file's.
std::optional<std::string> metadata_text(std::string_view text) {
    std::string shadow(text.size(), ' ');
    bool any = false;
    std::size_t line_start = 0;
    while (line_start <= text.size()) {
        const std::size_t end = std::min(text.find('\n', line_start), text.size());
        const std::string_view line = text.substr(line_start, end - line_start);
        const std::size_t first = line.find_first_not_of(" \t");
        if (first != std::string_view::npos && line.substr(first, 2) == metadata_prefix) {
            any = true;
            for (std::size_t i = first + 2; i < line.size(); ++i) shadow[line_start + i] = line[i];
        }
        if (end < text.size()) shadow[end] = '\n';
        line_start = end + 1;
    }
    if (!any) return std::nullopt;
    return shadow;
}

/// Regressions over a model read from the `#@` lines: they set the weights of its effect and
/// composition edges, drop the edges no regression names, and add new ones.
/// An edited coefficient moves its edge's prior with it: a fixed, normal or truncated normal prior is
/// centred on the new weight (same spread and bounds), a lognormal one gets it as its median. A uniform
/// or beta prior is its range's and stays; a note says so.
void move_prior(model_edge& edge, double weight, const std::string& file, const token& where, diagnostics& out) {
    prior& p = edge.uncertainty;
    switch (p.kind) {
        case prior_kind::fixed:
        case prior_kind::normal:
        case prior_kind::truncated_normal: p.a = weight; return;
        case prior_kind::lognormal:
            if (weight > 0.0) {
                p.a = std::log(weight);
                return;
            }
            break;
        case prior_kind::uniform:
        case prior_kind::beta: break;
    }
    const char* kind = p.kind == prior_kind::uniform ? "uniform" : p.kind == prior_kind::beta ? "beta" : "lognormal";
    report(out, file, where.line, where.column, severity::note,
           "the " + std::string(kind) + " prior of '" + edge.from + "' -> '" + edge.to +
               "' is kept as the #@ lines give it; only the weight changed");
}

void apply_regressions(model_definition& model, const lavaan_statements& found, const std::string& file,
                       diagnostics& out) {
    std::vector<bool> used(found.terms.size(), false);
    std::vector<model_edge> kept;
    for (model_edge& edge : model.edges) {
        if (!carries_weight(edge) || is_derived_node(model, edge.to)) {
            kept.push_back(std::move(edge));
            continue;
        }
        std::size_t t = 0;
        while (t < found.terms.size() && (used[t] || found.terms[t].from != edge.from || found.terms[t].to != edge.to))
            ++t;
        if (t == found.terms.size()) {
            report(out, file, edge.where.line, edge.where.column, severity::note,
                   "edge '" + edge.from + "' -> '" + edge.to + "' is in the #@ lines but in no regression; left out");
            continue;
        }
        used[t] = true;
        const lavaan_term& term = found.terms[t];
        if (term.weight && *term.weight != edge.weight) {
            if (*term.weight < edge.range_low || *term.weight > edge.range_high) {
                if (edge.range_low == edge.range_high) {
                    edge.range_low = edge.range_high = *term.weight;
                } else {
                    error_at(out, file, term.where,
                             "weight " + exact_number(*term.weight) + " of '" + edge.from + "' -> '" + edge.to +
                                 "' is outside its range [" + exact_number(edge.range_low) + ", " +
                                 exact_number(edge.range_high) +
                                 "] in the #@ lines; expected a weight within it, or a wider range");
                }
            }
            move_prior(edge, *term.weight, file, term.where, out);
            edge.weight = *term.weight;
        }
        kept.push_back(std::move(edge));
    }
    model.edges = std::move(kept);
    for (std::size_t t = 0; t < found.terms.size(); ++t) {
        if (used[t]) continue;
        const lavaan_term& term = found.terms[t];
        for (const std::string& id : {term.from, term.to}) {
            if (std::none_of(model.nodes.begin(), model.nodes.end(), [&](const model_node& n) { return n.id == id; })) {
                std::vector<std::string> ids;
                for (const model_node& n : model.nodes) ids.push_back(n.id);
                error_at(out, file, term.where,
                         "node '" + id + "' is not in the model of the #@ lines" + did_you_mean(id, ids));
            }
        }
        if (!term.weight) {
            error_at(out, file, term.where,
                     "free coefficient for new edge '" + term.from + "' -> '" + term.to +
                         "'; expected a fixed weight, as in 0.1*" + term.from);
            continue;
        }
        model.edges.push_back(imported_edge(term.from, term.to, *term.weight, file, term.where));
    }
}

/// A model of the regressions alone: kinds inferred, every edge sourced to its line.
std::optional<model_definition> model_of_regressions(const lavaan_statements& found, const std::string& file,
                                                     diagnostics& out, std::size_t findings_before) {
    model_definition model;
    model.file = file;
    model.id = std::filesystem::path(file).stem().string();
    model.name = "Imported from " + std::filesystem::path(file).filename().string();
    model.description = "A lavaan model without pathways metadata; node kinds inferred from the graph";
    if (found.terms.empty()) {
        report(out, file, 1, 1, severity::error,
               "no regressions and no pathways metadata; expected a lavaan model with lines such as "
               "'y ~ 0.1*x' (pathways graph --format lavaan writes one)");
        return std::nullopt;
    }
    for (const lavaan_term& term : found.terms) {
        if (!term.weight) {
            error_at(out, file, term.where,
                     "free coefficient for '" + term.from + "' -> '" + term.to +
                         "'; expected a fixed weight, as in 0.1*" + term.from);
            continue;
        }
        model.edges.push_back(imported_edge(term.from, term.to, *term.weight, file, term.where, term.label));
    }
    const inferred_kinds kinds = infer_kinds(found.names, model.edges);
    for (std::size_t i = 0; i < found.names.size(); ++i)
        model.nodes.push_back(imported_node(found.names[i], kinds.kinds[i], file));
    if (has_errors_since(out, findings_before)) return model;  // the note would describe a model that is not made
    report(out, file, 1, 1, severity::note,
           "no pathways metadata (#@ lines): node kinds inferred from the graph, " + kinds_summary(kinds) +
               "; every weight is sourced to its line in this file with evidence A (an assumption)");
    return model;
}

// ---------------------------------------------------------------------------------------------
// DAGitty

bool plan_sets(node_kind kind) {
    return kind == node_kind::secondary_driver || kind == node_kind::foundational_practice;
}

std::vector<bool> outcome_marks(const model_definition& model) {
    std::vector<bool> marks;
    const bool any_headline =
        std::any_of(model.nodes.begin(), model.nodes.end(), [](const model_node& n) { return n.has_role("headline"); });
    for (const model_node& node : model.nodes) {
        marks.push_back(any_headline ? node.has_role("headline") : node.kind == node_kind::academic_outcome);
    }
    return marks;
}

std::string dagitty_string(std::string_view text) {
    std::string quoted = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') quoted += '\\';
        quoted += c;
    }
    return quoted + '"';
}

struct dagitty_node {
    token name;
    bool exposure = false;
    bool outcome = false;
};

struct dagitty_graph {
    std::vector<dagitty_node> nodes;
    std::vector<model_edge> edges;
    std::vector<bool> has_beta;
};

class dagitty_parser {
public:
    dagitty_parser(std::string_view text, std::string file, diagnostics& out) : file_(std::move(file)), out_(out) {
        tokenize(text);
    }

    std::optional<dagitty_graph> parse() {
        if (!expect_word("dag")) return std::nullopt;
        if (peek().kind == token::type::word || peek().kind == token::type::string) next();  // the graph's name
        if (!expect_symbol("{")) return std::nullopt;
        while (!at_end() && peek().text != "}" && !too_large_) statement();
        if (too_large_ || !expect_symbol("}")) return std::nullopt;
        if (!at_end()) error_at(out_, file_, peek(), "text after the graph's closing '}'");
        return graph_;
    }

private:
    void tokenize(std::string_view text) {
        scanner in(text,
                   {"->", "<-", "<->", "--", "@->", "<-@", "--@", "@--", "@-@", "{", "}", "[", "]", "=", ",", ";"});
        while (!in.done()) {
            const char c = in.peek();
            if (std::isspace(static_cast<unsigned char>(c)) != 0 || c == ';') {
                in.advance();
            } else if (c == '"') {
                token t{token::type::string, "", in.line(), in.column()};
                in.advance();
                while (!in.done() && in.peek() != '"') {
                    if (in.peek() == '\\') in.advance();
                    t.text += in.peek();
                    in.advance();
                }
                if (in.done()) error_at(out_, file_, t, "unterminated string; expected a closing '\"'");
                in.advance();
                tokens_.push_back(std::move(t));
            } else if (const std::string_view symbol = in.symbol_here(); !symbol.empty()) {
                tokens_.push_back({token::type::symbol, std::string(symbol), in.line(), in.column()});
                in.advance(symbol.size());
            } else if (is_word_char(c) || c == '-') {
                token t{token::type::word, "", in.line(), in.column()};
                do {
                    t.text += in.peek();
                    in.advance();
                } while (!in.done() && is_word_char(in.peek()));
                tokens_.push_back(std::move(t));
            } else {
                tokens_.push_back({token::type::symbol, std::string(1, c), in.line(), in.column()});
                in.advance();
            }
        }
        end_ = {token::type::end_of_statement, "end of file", in.line(), in.column()};
    }

    [[nodiscard]] bool at_end() const { return at_ >= tokens_.size(); }
    [[nodiscard]] const token& peek(std::size_t ahead = 0) const {
        return at_ + ahead < tokens_.size() ? tokens_[at_ + ahead] : end_;
    }
    const token& next() { return at_ < tokens_.size() ? tokens_[at_++] : end_; }

    bool expect_symbol(std::string_view symbol) {
        if (peek().text == symbol && peek().kind == token::type::symbol) {
            next();
            return true;
        }
        error_at(out_, file_, peek(), "expected '" + std::string(symbol) + "', got '" + peek().text + "'");
        return false;
    }

    bool expect_word(std::string_view word) {
        if (peek().kind == token::type::word && peek().text == word) {
            next();
            return true;
        }
        error_at(out_, file_, peek(),
                 "expected '" + std::string(word) + " { ... }', got '" + peek().text +
                     "'; pathways reads DAGitty's dag graphs only");
        return false;
    }

    /// `[key, key=value, ...]` as key → value ("" for a bare key).
    std::map<std::string, token> attributes() {
        std::map<std::string, token> found;
        if (peek().text != "[") return found;
        next();
        while (!at_end() && peek().text != "]") {
            const token key = next();
            token value{token::type::word, "", key.line, key.column};
            if (peek().text == "=") {
                next();
                value = next();
            }
            found[key.text] = value;
            if (peek().text == ",") next();
        }
        expect_symbol("]");
        return found;
    }

    std::size_t node_index(const token& name) {
        if (const auto found = index_of_.find(name.text); found != index_of_.end()) return found->second;
        if (graph_.nodes.size() == max_model_nodes) {
            refuse_size(name, "nodes", max_model_nodes);
            return 0;
        }
        check_node_id(out_, file_, name);
        index_of_.emplace(name.text, graph_.nodes.size());
        graph_.nodes.push_back({name});
        return graph_.nodes.size() - 1;
    }

    /// Stops the parse at the first statement past a model's size limits, before anything is allocated for it:
    /// `{a b ...} -> {c d ...}` is a cross product, so a small file can name billions of edges.
    void refuse_size(const token& at, std::string_view what, std::size_t limit) {
        if (!too_large_)
            error_at(out_, file_, at,
                     "the graph has more than " + std::to_string(limit) + " " + std::string(what) +
                         "; expected at most " + std::to_string(limit) + " (a theory of change has tens)");
        too_large_ = true;
    }

    /// A node, or `{a b c}`.
    std::vector<std::size_t> endpoint() {
        std::vector<std::size_t> members;
        if (peek().text == "{") {
            next();
            while (!at_end() && peek().text != "}") members.push_back(node_index(next()));
            expect_symbol("}");
        } else if (peek().kind == token::type::word || peek().kind == token::type::string) {
            members.push_back(node_index(next()));
        } else {
            error_at(out_, file_, peek(), "expected a node name or '{', got '" + peek().text + "'");
            next();
        }
        return members;
    }

    void statement() {
        if (peek(1).text == "=") {  // a graph option such as bb="..."
            next();
            next();
            next();
            return;
        }
        std::vector<std::size_t> left = endpoint();
        if (peek().text == "[") {
            const auto marks = attributes();
            for (const std::size_t n : left) {
                graph_.nodes[n].exposure = graph_.nodes[n].exposure || marks.contains("exposure");
                graph_.nodes[n].outcome = graph_.nodes[n].outcome || marks.contains("outcome");
            }
            return;
        }
        std::vector<std::pair<std::size_t, std::size_t>> added;
        while (peek().kind == token::type::symbol && peek().text != "}" && peek().text != "[" && peek().text != "{") {
            const token arrow = next();
            if (arrow.text != "->" && arrow.text != "<-") {
                error_at(out_, file_, arrow,
                         "edge '" + arrow.text + "' has no pathways form; expected '->' or '<-' (a DAG)");
            }
            const std::vector<std::size_t> right = endpoint();
            if (too_large_) return;
            if (left.size() * right.size() > max_model_edges - graph_.edges.size() - added.size()) {
                refuse_size(arrow, "edges", max_model_edges);
                return;
            }
            for (const std::size_t a : left) {
                for (const std::size_t b : right)
                    added.emplace_back(arrow.text == "<-" ? b : a, arrow.text == "<-" ? a : b);
            }
            left = right;
        }
        const auto marks = attributes();
        std::optional<double> beta;
        if (const auto it = marks.find("beta"); it != marks.end()) {
            beta = parse_number(it->second.text);
            if (!beta)
                error_at(out_, file_, it->second,
                         "beta '" + it->second.text + "' is not a number; expected an edge weight such as 0.15");
        }
        for (const auto& [from, to] : added) {
            graph_.edges.push_back(imported_edge(graph_.nodes[from].name.text, graph_.nodes[to].name.text,
                                                 beta.value_or(0.0), file_, graph_.nodes[to].name));
            graph_.has_beta.push_back(beta.has_value());
        }
    }

    std::string file_;
    diagnostics& out_;
    std::vector<token> tokens_;
    token end_;
    std::size_t at_ = 0;
    dagitty_graph graph_;
    std::unordered_map<std::string, std::size_t> index_of_;
    bool too_large_ = false;
};

}  // namespace

std::string to_lavaan(const model_definition& model) {
    std::string text = lavaan_header(model);
    const std::string file = model_file_text(model);
    std::size_t start = 0;
    while (start < file.size()) {
        const std::size_t end = file.find('\n', start);
        text += std::string(metadata_prefix) + " " + file.substr(start, end - start) + "\n";
        start = end == std::string::npos ? file.size() : end + 1;
    }
    return text + "\n" + lavaan_regressions(model);
}

std::optional<model_definition> read_lavaan(std::string_view text, const std::string& file, diagnostics& out) {
    const std::size_t before = out.items().size();
    const lavaan_statements found = read_lavaan_statements(text, file, out);
    std::optional<model_definition> model;
    if (const auto metadata = metadata_text(text)) {
        if (const auto doc = json::parse(*metadata, file, out)) model = read_model(*doc, out);
        if (model) apply_regressions(*model, found, file, out);
    } else {
        model = model_of_regressions(found, file, out, before);
    }
    if (has_errors_since(out, before) || !model) return std::nullopt;
    model->file = file;
    return model;
}

std::string to_dagitty(const model_definition& model) {
    const std::vector<bool> outcomes = outcome_marks(model);
    std::array<int, causal_order.size()> rows{};
    std::string text = "dag {\n";
    for (std::size_t i = 0; i < model.nodes.size(); ++i) {
        const model_node& node = model.nodes[i];
        const auto column = static_cast<std::size_t>(std::find(causal_order.begin(), causal_order.end(), node.kind) -
                                                     causal_order.begin());
        std::string attributes = plan_sets(node.kind) ? "exposure," : outcomes[i] ? "outcome," : "";
        attributes += "pos=\"" + std::to_string(column) + "," + std::to_string(rows[column]++) + "\"";
        text += node.id + " [" + attributes + "]\n";
    }
    for (const model_edge& edge : model.edges) {
        if (carries_weight(edge))
            text += edge.from + " -> " + edge.to + " [beta=" + dagitty_string(exact_number(edge.weight)) + "]\n";
    }
    return text + "}\n";
}

std::optional<model_definition> read_dagitty(std::string_view text, const std::string& file, diagnostics& out) {
    const std::size_t before = out.items().size();
    auto graph = dagitty_parser(text, file, out).parse();
    if (has_errors_since(out, before) || !graph) return std::nullopt;

    model_definition model;
    model.file = file;
    model.id = std::filesystem::path(file).stem().string();
    model.name = "Imported from " + std::filesystem::path(file).filename().string();
    model.description = "A DAGitty graph; node kinds inferred from the graph and its exposure and outcome marks";
    model.edges = graph->edges;
    std::vector<std::string> ids;
    for (const dagitty_node& node : graph->nodes) ids.push_back(node.name.text);
    const inferred_kinds kinds = infer_kinds(ids, model.edges);
    bool headline_given = false;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        node_kind kind = kinds.kinds[i];
        if (graph->nodes[i].exposure) kind = node_kind::foundational_practice;
        if (graph->nodes[i].outcome) kind = node_kind::academic_outcome;
        model.nodes.push_back(imported_node(ids[i], kind, file));
        model.nodes.back().where = {file, graph->nodes[i].name.line, graph->nodes[i].name.column, ""};
        if (graph->nodes[i].outcome && !headline_given) {  // reports lead with the first outcome
            model.nodes.back().roles = {"headline"};
            headline_given = true;
        }
    }
    const auto unweighted = std::count(graph->has_beta.begin(), graph->has_beta.end(), false);
    if (unweighted > 0) {
        report(out, file, 1, 1, severity::warning,
               std::to_string(unweighted) + " of " + std::to_string(graph->edges.size()) +
                   " edges have no beta attribute and weigh 0; give each its weight, as in x -> y [beta=\"0.1\"]");
    }
    report(out, file, 1, 1, severity::note,
           "node kinds inferred from the graph (exposures as foundational practices, outcomes as academic outcomes): " +
               kinds_summary(kinds) +
               "; every weight is sourced to its line in this file with evidence A (an assumption)");
    return model;
}

}  // namespace pathways
