#include "plugin/plugin_metadata.hpp"

#include <bit>
#include <string_view>

namespace pathways {

namespace {

std::string single_quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

/// Reads little-endian fields in order; after the first read past the end, every read fails.
class record_reader {
public:
    explicit record_reader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

    bool u8(std::uint8_t& value) {
        if (!take(1)) return false;
        value = bytes_[at_ - 1];
        return true;
    }

    bool u32(std::uint32_t& value) {
        if (!take(4)) return false;
        value = 0;
        for (int i = 3; i >= 0; --i) value = (value << 8) | bytes_[at_ - 4 + static_cast<std::size_t>(i)];
        return true;
    }

    bool f64(double& value) {
        if (!take(8)) return false;
        std::uint64_t bits = 0;
        for (int i = 7; i >= 0; --i) bits = (bits << 8) | bytes_[at_ - 8 + static_cast<std::size_t>(i)];
        value = std::bit_cast<double>(bits);
        return true;
    }

    bool str(std::string& value) {
        std::uint32_t length = 0;
        if (!u32(length) || !take(length)) return false;
        value.assign(reinterpret_cast<const char*>(bytes_.data() + at_ - length), length);
        return true;
    }

    [[nodiscard]] std::size_t offset() const { return at_; }
    [[nodiscard]] bool at_end() const { return at_ == bytes_.size(); }

private:
    bool take(std::size_t count) {
        if (failed_ || count > bytes_.size() - at_) {
            failed_ = true;
            return false;
        }
        at_ += count;
        return true;
    }

    std::span<const std::uint8_t> bytes_;
    std::size_t at_ = 0;
    bool failed_ = false;
};

bool read_parameter(record_reader& in, parameter_info& p) {
    std::uint8_t type = 0;
    std::uint8_t prior = 0;
    const bool read = in.str(p.name) && in.u8(type) && in.str(p.unit) && in.f64(p.default_value) && in.f64(p.min) &&
                      in.f64(p.max) && in.u8(prior) && in.f64(p.uncertainty.a) && in.f64(p.uncertainty.b) &&
                      in.f64(p.uncertainty.lower) && in.f64(p.uncertainty.upper) && in.str(p.description) &&
                      in.str(p.source) && in.str(p.evidence);
    // Unknown enum values are kept as they are; model_problems names them.
    p.type = static_cast<sdk::parameter_type>(type);
    p.uncertainty.kind = static_cast<sdk::prior_kind>(prior);
    return read;
}

bool read_model(record_reader& in, declared_model& declared) {
    model_handle& m = declared.model;
    std::uint8_t has_evaluate = 0;
    std::uint32_t parameter_count = 0;
    if (!(in.str(m.name) && in.str(m.version) && in.str(m.description) && in.str(m.calibration_parameter) &&
          in.u8(has_evaluate) && in.u32(parameter_count))) {
        return false;
    }
    declared.has_evaluate = has_evaluate != 0;
    for (std::uint32_t i = 0; i < parameter_count; ++i) {  // each read is bounded by the bytes left
        if (!read_parameter(in, m.parameters.emplace_back())) return false;
    }
    return true;
}

std::string malformed(const record_reader& in, std::string_view what) {
    return "malformed metadata record: " + std::string(what) + " at byte " + std::to_string(in.offset()) +
           "; expected a record written by PATHWAYS_EFFECT_PLUGIN";
}

/// Magic, record version, ABI version and size; empty when they are what this host reads.
std::string header_problem(std::span<const std::uint8_t> record, record_reader& in, std::uint32_t& abi) {
    const std::string_view magic = sdk::metadata::magic;
    if (record.size() < sdk::metadata::header_size ||
        std::string_view(reinterpret_cast<const char*>(record.data()), magic.size()) != magic) {
        return "malformed metadata record: it does not start with " + single_quoted(magic) +
               "; expected a record written by PATHWAYS_EFFECT_PLUGIN";
    }
    for (std::size_t i = 0; i < magic.size(); ++i) {
        std::uint8_t ignored = 0;
        in.u8(ignored);
    }
    std::uint32_t version = 0;
    std::uint32_t size = 0;
    in.u32(version);
    in.u32(abi);
    in.u32(size);
    if (version != sdk::metadata::record_version) {
        return "metadata record version mismatch: got " + std::to_string(version) + ", supported " +
               std::to_string(sdk::metadata::record_version) + "; rebuild the plugin against this pathways SDK";
    }
    if (abi != sdk::abi_version) {
        return "ABI version mismatch: got " + std::to_string(abi) + ", supported " + std::to_string(sdk::abi_version) +
               "; rebuild the plugin against this pathways SDK";
    }
    if (size != record.size()) {
        return "malformed metadata record: it says " + std::to_string(size) + " bytes, the section has " +
               std::to_string(record.size()) + "; expected one record written by PATHWAYS_EFFECT_PLUGIN";
    }
    return {};
}

}  // namespace

std::optional<plugin_metadata> decode_plugin_metadata(std::span<const std::uint8_t> record, const std::string& file,
                                                      std::string& problem) {
    record_reader in(record);
    plugin_metadata metadata;
    problem = header_problem(record, in, metadata.abi_version);
    if (!problem.empty()) return std::nullopt;
    if (!in.str(metadata.fingerprint)) {
        problem = malformed(in, "the build fingerprint is cut off");
        return std::nullopt;
    }
    if (metadata.fingerprint != PATHWAYS_BUILD_FINGERPRINT) {
        problem = "build fingerprint mismatch: got " + single_quoted(metadata.fingerprint) + ", supported " +
                  single_quoted(PATHWAYS_BUILD_FINGERPRINT) +
                  "; rebuild the plugin with the same compiler, Boost, Eigen and build type";
        return std::nullopt;
    }
    std::uint32_t model_count = 0;
    if (!in.u32(model_count)) {
        problem = malformed(in, "the model count is cut off");
        return std::nullopt;
    }
    for (std::uint32_t i = 0; i < model_count; ++i) {
        declared_model& declared = metadata.models.emplace_back();
        declared.model.file = file;
        if (!read_model(in, declared)) {
            problem = malformed(in, "model " + std::to_string(i) + " is cut off");
            return std::nullopt;
        }
    }
    if (!in.at_end()) {
        problem = malformed(in, "bytes after the last model");
        return std::nullopt;
    }
    return metadata;
}

namespace {

void declared_only(const sdk::evaluation&) {}

}  // namespace

sdk::effect_model_info declared_view(const declared_model& declared, std::vector<sdk::parameter_spec>& specs) {
    const model_handle& m = declared.model;
    specs.clear();
    for (const parameter_info& p : m.parameters) {
        specs.push_back({p.name, p.type, p.unit, p.default_value, p.min, p.max, p.uncertainty, p.description, p.source,
                         p.evidence});
    }
    // Only whether evaluate is null matters to validation; the real function is found when the plugin loads.
    return {m.name,
            m.version,
            m.description,
            specs,
            declared.has_evaluate ? &declared_only : nullptr,
            m.calibration_parameter};
}

}  // namespace pathways
