#!/usr/bin/env python3
"""The Python module against the CLI it sits beside: the same table as projection.csv, the same
draws, the same suppression and the same errors. Run with Debian's python3 and PYTHONPATH naming the
module's folder (build/python); PATHWAYS_CLI names the pathways executable. Run from the source root."""
import csv
import importlib.util
import io
import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import warnings

import numpy as np

import pathways

PILOT = "scenarios/denver-pilot-2015.json"
CLI = os.environ["PATHWAYS_CLI"]


def column(table, name):
    """A column of a table as a list, whether the table is a DataFrame or a dict of arrays."""
    return list(table[name])


def cli_projection(*args):
    """projection.csv of `pathways run PILOT ARGS`: its header and rows."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([CLI, "run", PILOT, *args, "--quiet", "--format", "csv", "--out", folder], check=True,
                       stdout=subprocess.DEVNULL)
        with open(os.path.join(folder, "projection.csv"), encoding="utf-8") as f:
            lines = [line for line in f if not line.startswith("#")]
    reader = csv.reader(io.StringIO("".join(lines)))
    header = next(reader)
    return header, list(reader)


class TableMatchesProjectionCsv(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.scenario = pathways.load(PILOT)
        cls.results = cls.scenario.run(draws=4, seed=3)
        cls.table = cls.results.table()
        cls.header, cls.rows = cli_projection("--draws", "4", "--seed", "3")

    def test_columns_are_projection_csv_header(self):
        self.assertEqual(list(self.table.keys()), self.header)

    def test_every_row_and_value_as_the_cli_writes_it(self):
        self.assertEqual(len(column(self.table, "mean")), len(self.rows))
        for i, row in enumerate(self.rows):
            record = dict(zip(self.header, row))
            for name in ("scenario", "variant", "model", "subgroup", "outcome", "metric", "course", "reference"):
                self.assertEqual(self.table[name][i], record[name])
            self.assertEqual(int(self.table["year"][i]), int(record["year"]))
            self.assertEqual(bool(self.table["suppressed"][i]), record["suppressed"] == "1")
            for name in ("mean", "sd", "p05", "p95"):
                value = float(self.table[name][i])
                if record[name] == "":
                    self.assertTrue(math.isnan(value), (i, name))
                else:
                    self.assertEqual(value, float(record[name]), (i, name))  # the same double in both

    def test_draws_average_to_the_table_mean(self):
        values = self.results.draws("academic.achievement.math", "all", "effect")
        self.assertEqual(values.shape, (4,))
        self.assertEqual(values.dtype, np.float64)
        final = max(int(y) for y in self.table["year"])
        rows = [i for i in range(len(self.table["mean"]))
                if self.table["outcome"][i] == "academic.achievement.math" and self.table["subgroup"][i] == "all"
                and self.table["metric"][i] == "effect" and int(self.table["year"][i]) == final
                and self.table["course"][i] == "with_cut_risk"]
        self.assertEqual(len(rows), 1)
        # The table holds the mean as computed (not rounded for print): the draws give it back to rounding.
        self.assertAlmostEqual(values.mean(), float(self.table["mean"][rows[0]]), delta=1e-12 * max(1, abs(values.mean())))

    def test_sustained_course_and_years(self):
        first_year = min(int(y) for y in self.table["year"])
        self.assertEqual(self.results.draws("academic.achievement.math", "all", "effect", year=first_year).shape, (4,))
        sustained = self.results.draws("academic.achievement.math", "all", "effect", course="sustained")
        self.assertEqual(sustained.shape, (4,))
        with self.assertRaises(KeyError):
            self.results.draws("no.such.outcome", "all", "effect")

    def test_inputs_are_per_draw(self):
        inputs = self.results.inputs()
        self.assertEqual(list(inputs["draw"]), [0, 1, 2, 3])
        self.assertIn("schools:dose_mean", list(inputs.keys()))
        self.assertTrue(any(name.startswith("edge:") for name in inputs.keys()))


class TableKinds(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.results = pathways.load(PILOT).run(draws=0)

    def test_a_dict_of_numpy_arrays_without_pandas(self):
        saved = sys.modules.get("pandas")
        sys.modules["pandas"] = None  # `import pandas` now raises ImportError
        try:
            table = self.results.table()
        finally:
            if saved is None:
                del sys.modules["pandas"]
            else:
                sys.modules["pandas"] = saved
        self.assertIs(type(table), dict)
        self.assertEqual(table["mean"].dtype, np.float64)
        self.assertEqual(table["year"].dtype, np.int64)
        self.assertEqual(table["suppressed"].dtype, np.bool_)
        self.assertEqual(table["subgroup"].dtype, np.dtype("O"))
        self.assertEqual(len({len(values) for values in table.values()}), 1)

    def test_a_dataframe_with_pandas(self):
        try:
            import pandas
        except ImportError:
            self.skipTest("pandas is not installed")
        self.assertIsInstance(self.results.table(), pandas.DataFrame)


class SameErrors(unittest.TestCase):
    def test_file_errors_carry_file_line_and_pointer(self):
        path = "tests/data/malformed/16-unknown-parameter.json"
        with self.assertRaises(pathways.InputError) as caught:
            pathways.load(path)
        error = caught.exception
        self.assertIsInstance(error, ValueError)
        self.assertTrue(error.diagnostics)
        first = error.diagnostics[0]
        self.assertEqual(first.file, path)
        self.assertEqual(first.line, 7)
        self.assertGreater(first.column, 0)
        self.assertIn("phase_in_year", first.message)
        # The message is the compiler-style text the CLI prints: file:line:col: error: ...
        self.assertTrue(str(error).startswith(f"{path}:7:"), str(error))
        file, line, col, pointer, message = first  # a plain 5-tuple too
        self.assertTrue(pointer.startswith("/effect_model"), pointer)

    def test_argument_errors_name_the_argument(self):
        scenario = pathways.load(PILOT)
        with self.assertRaises(pathways.InputError) as caught:
            scenario.run(draws=-1)
        self.assertEqual(caught.exception.diagnostics[0].file, "<python>")
        self.assertEqual(caught.exception.diagnostics[0].pointer, "draws")
        with self.assertRaises(pathways.InputError) as caught:
            scenario.run(draws=2, set={"no_such_parameter": 1.0})
        self.assertIn("no_such_parameter", str(caught.exception))
        with self.assertRaises(pathways.InputError) as caught:
            scenario.run(draws=2, effect_model="no-such-model")
        self.assertEqual(caught.exception.diagnostics[0].pointer, "effect_model")

    def test_missing_file(self):
        with self.assertRaises(pathways.InputError):
            pathways.load("scenarios/no-such-scenario.json")


class SameSuppression(unittest.TestCase):
    def test_suppressed_rows_have_no_values_and_no_draws(self):
        results = pathways.load(PILOT).run(draws=2, min_n=10000)
        table = results.table()
        suppressed = [i for i, s in enumerate(table["suppressed"]) if s]
        self.assertTrue(suppressed)
        for i in suppressed:
            self.assertTrue(math.isnan(float(table["mean"][i])))
            self.assertTrue(math.isnan(float(table["n_students"][i])))
        i = suppressed[0]
        with self.assertRaises(pathways.SuppressedError):
            results.draws(table["outcome"][i], table["subgroup"][i], table["metric"][i], year=int(table["year"][i]),
                          course=table["course"][i], reference=table["reference"][i])
        self.assertTrue(results.for_release)

    def test_suppression_off_is_not_for_release(self):
        results = pathways.load(PILOT).run(draws=2, suppression=False)
        self.assertFalse(results.for_release)
        self.assertFalse(any(results.table()["suppressed"]))


class SetOverrides(unittest.TestCase):
    def test_set_changes_the_run_as_the_cli_set_does(self):
        results = pathways.load(PILOT).run(draws=2, seed=1, set={"phase_in_years": 2.0})
        header, rows = cli_projection("--draws", "2", "--seed", "1", "--set", "phase_in_years=2")
        means = [float(v) for v in results.table()["mean"] if not math.isnan(v)]
        cli_means = [float(r[header.index("mean")]) for r in rows if r[header.index("mean")] != ""]
        self.assertEqual(means, cli_means)
        default = [float(v) for v in pathways.load(PILOT).run(draws=2, seed=1).table()["mean"] if not math.isnan(v)]
        self.assertNotEqual(means, default)

    def test_set_files_are_the_cli_set_file_and_set_wins(self):
        # A parameter file (the shape `pathways calibrate` writes): a value and a replaced prior.
        text = ('{"pathways_parameters": 1, "model": "lagged", "parameters": {"phase_in_years": 2.5},'
                ' "priors": {"edge:engagement.emotional->academic.achievement.math":'
                ' {"dist": "normal", "mean": 0.05, "sd": 0.01}}}')
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "calibrated.json")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            results = pathways.load(PILOT).run(draws=2, seed=1, set_files=[path])
            header, rows = cli_projection("--draws", "2", "--seed", "1", "--set-file", path)
            overridden = pathways.load(PILOT).run(draws=2, seed=1, set_files=[path], set={"phase_in_years": 1.0})
            header_set, rows_set = cli_projection("--draws", "2", "--seed", "1", "--set-file", path,
                                                  "--set", "phase_in_years=1")
        means = [float(v) for v in results.table()["mean"] if not math.isnan(v)]
        self.assertEqual(means, [float(r[header.index("mean")]) for r in rows if r[header.index("mean")] != ""])
        means_set = [float(v) for v in overridden.table()["mean"] if not math.isnan(v)]
        self.assertEqual(means_set,
                         [float(r[header_set.index("mean")]) for r in rows_set if r[header_set.index("mean")] != ""])
        self.assertNotEqual(means, means_set)
        with self.assertRaises(ValueError):
            pathways.load(PILOT).run(draws=0, set_files=[os.path.join(folder, "gone.json")])

    def test_linear_scale_zero_removes_every_effect(self):
        # The linear model multiplies every node's change by `scale`: at 0 nothing the plan does moves anything.
        table = pathways.load(PILOT).run(draws=0, effect_model="linear", set={"scale": 0.0}).table()
        effects = [float(m) for m, metric in zip(table["mean"], table["metric"]) if metric == "effect"]
        self.assertTrue(effects)
        self.assertEqual(set(effects), {0.0})


class RunsLikeTheCli(unittest.TestCase):
    def test_variants_and_metadata(self):
        scenario = pathways.load("scenarios/denver-scale-up.json")
        self.assertIn("base", scenario.variants)
        self.assertEqual(scenario.effect_model, "subgroup")
        self.assertEqual(scenario.model, "subgroup")  # the old name of the property, still read
        other = scenario.variants[-1]
        results = scenario.run(draws=2, variant=other)
        self.assertEqual(results.variants, [other])
        self.assertEqual(results.draw_count, 2)
        self.assertEqual(set(results.table()["variant"]), {other})

    def test_all_variants_in_one_results(self):
        scenario = pathways.load("scenarios/denver-scale-up.json")
        results = scenario.run(draws=2, all_variants=True)
        self.assertEqual(results.variants, ["base", *[v for v in scenario.variants if v != "base"]])
        self.assertEqual(list(dict.fromkeys(results.table()["variant"])), results.variants)
        # Each variant's draws are its own run's, the same as running that variant alone.
        other = results.variants[-1]
        alone = scenario.run(draws=2, variant=other)
        np.testing.assert_array_equal(results.draws("academic.achievement.math", variant=other),
                                      alone.draws("academic.achievement.math"))

    def test_gil_released_while_running(self):
        ticks = []
        stop = threading.Event()

        def tick():
            while not stop.is_set():
                ticks.append(1)
                time.sleep(0.001)

        ticker = threading.Thread(target=tick)
        ticker.start()
        try:
            pathways.load("scenarios/denver-scale-up.json").run(draws=64)
        finally:
            stop.set()
            ticker.join()
        self.assertGreater(len(ticks), 0)

    def test_ctrl_c_interrupts_a_run(self):
        # A real SIGINT, as Ctrl-C sends, while 5,000 draws of the scale-up run (ten seconds or more on two cores). The
        # handler is set explicitly: a process started in the background may inherit SIGINT ignored.
        previous = signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            scenario = pathways.load("scenarios/denver-scale-up.json")
            threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT)).start()
            with self.assertRaises(KeyboardInterrupt):
                scenario.run(draws=5000)
        finally:
            signal.signal(signal.SIGINT, previous)


class OtherCommands(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.scenario = pathways.load(PILOT)

    def test_compare_models(self):
        table = self.scenario.compare_models(["linear", "lagged"], draws=3, seed=2)
        models = list(table["model"])
        self.assertEqual(set(models), {"linear", "lagged", "mixture"})
        self.assertEqual(models.count("linear"), models.count("mixture"))
        self.assertAlmostEqual(sum(set(float(w) for m, w in zip(models, table["weight"]) if m != "mixture")), 0.5)

    def test_effects_match_the_cli(self):
        table = self.scenario.effects()
        output = subprocess.run([CLI, "effects", "--scenario", PILOT, "--format", "csv"], check=True,
                                capture_output=True, text=True).stdout
        cli_rows = list(csv.DictReader(io.StringIO(output)))
        self.assertEqual(len(column(table, "total")), len(cli_rows))

    def test_population(self):
        schools = self.scenario.population()
        cells = self.scenario.population(cells=True)
        self.assertEqual(set(cells["school_id"]), set(schools["school_id"]))
        self.assertEqual(int(sum(cells["students"])), int(sum(schools["enrollment"])))

    def test_sensitivity(self):
        table = self.scenario.sensitivity("academic.achievement.math", "all", samples=8, bootstrap=10)
        names = list(table["input"])
        self.assertTrue(names)
        # The command line's columns and seed: the scenario's seed unless one is given.
        for column in ("first_order", "total", "total_low", "total_high", "value_at_p05", "swing"):
            self.assertIn(column, table)
        seeded = self.scenario.sensitivity("academic.achievement.math", "all", samples=8, bootstrap=10,
                                           seed=self.scenario.run(draws=1).seed)
        self.assertEqual(list(table["total"]), list(seeded["total"]))
        # Its scalar inputs are what a draw samples; groups and held-fixed rows are not a draw's own columns.
        scalar = {name for name, kind in zip(names, table["kind"]) if kind == "input"}
        inputs = self.scenario.run(draws=1).inputs()
        self.assertTrue(scalar and scalar <= set(inputs.keys()))


TUTORING = "scenarios/tutoring-scale-up.json"


def cli_sensitivity(*args):
    """sensitivity.csv of `pathways sensitivity TUTORING ARGS`: its header and rows."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([CLI, "sensitivity", TUTORING, *args, "--quiet", "--out", folder], check=True,
                       stdout=subprocess.DEVNULL)
        with open(os.path.join(folder, "sensitivity.csv"), encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            return next(reader), list(reader)


def as_csv_writes_it(value):
    """A number as sensitivity.csv writes it: six significant digits, residue below 1e-12 as 0, NaN empty."""
    if math.isnan(value):
        return ""
    if abs(value) < 1e-12:
        return "0"
    text = f"{value:.6g}"
    return "0" if text == "-0" else text


class SensitivityMatchesTheCli(unittest.TestCase):
    """Scenario.sensitivity gives the rows and columns of the command's sensitivity.csv: the scalar
    inputs, the groups of inputs varied together and what the analysis holds fixed, on either course."""
    OUTCOME = "achievement.math"

    def study(self, course):
        table = pathways.load(TUTORING).sensitivity(self.OUTCOME, samples=8, bootstrap=10, course=course)
        header, rows = cli_sensitivity("--outcome", self.OUTCOME, "--subgroup", "all", "--n", "8",
                                       "--bootstrap", "10", "--course", course)
        return table, header, rows

    def assert_same_as_the_file(self, table, header, rows):
        self.assertEqual(list(table.keys()), header)
        self.assertEqual(len(column(table, "input")), len(rows))
        text_columns = {"input", "prior", "kind", "course"}
        for i, row in enumerate(rows):
            for name, field in zip(header, row):
                value = table[name][i]
                shown = value if name in text_columns else as_csv_writes_it(float(value))
                self.assertEqual(shown, field, (i, name))

    def test_with_cut_risk_is_the_default_and_the_file(self):
        table, header, rows = self.study("with_cut_risk")
        self.assert_same_as_the_file(table, header, rows)
        self.assertIn("group", column(table, "kind"))
        default = pathways.load(TUTORING).sensitivity(self.OUTCOME, samples=8, bootstrap=10)
        self.assertEqual(column(default, "total"), column(table, "total"))

    def test_if_sustained_holds_the_cut_fixed(self):
        table, header, rows = self.study("if_sustained")
        self.assert_same_as_the_file(table, header, rows)
        held = [name for name, kind in zip(column(table, "input"), column(table, "kind")) if kind == "held_fixed"]
        self.assertTrue(any(name.startswith("program cut") for name in held), held)
        self.assertEqual(set(column(table, "course")), {"if_sustained"})

    def test_an_unknown_course_names_both(self):
        with self.assertRaises(pathways.InputError) as caught:
            pathways.load(TUTORING).sensitivity(self.OUTCOME, samples=8, course="if_sustaned")
        found = caught.exception.diagnostics[0]
        self.assertEqual((found.file, found.pointer), ("<python>", "course"))
        self.assertEqual(found.message,
                         "course 'if_sustaned' is not a course; expected with_cut_risk (the headline's, the default) "
                         "or if_sustained (the program never cut); did you mean 'if_sustained'?")


class ModelFileAndEffectModel(unittest.TestCase):
    """model= names the theory of change (a model file), as --model FILE does; effect_model= the plugin."""

    def test_the_lavaan_export_projects_as_the_embedded_model(self):
        scenario = pathways.load(PILOT)
        with tempfile.TemporaryDirectory() as folder:
            exported = os.path.join(folder, "dps.lav")
            subprocess.run([CLI, "graph", "--format", "lavaan", "-o", exported], check=True)
            from_file = scenario.run(model=exported, draws=0).table()
            compared = scenario.compare_models(["linear", "lagged"], model=exported, draws=2, seed=1)
            sensitivity = scenario.sensitivity("academic.achievement.math", samples=4, bootstrap=4, model=exported)
        embedded = scenario.run(draws=0).table()
        self.assertEqual(list(from_file.keys()), list(embedded.keys()))
        for name in from_file.keys():
            self.assertEqual([str(v) for v in from_file[name]], [str(v) for v in embedded[name]], name)
        self.assertEqual(column(compared, "mean"),
                         column(scenario.compare_models(["linear", "lagged"], draws=2, seed=1), "mean"))
        self.assertEqual(column(sensitivity, "total"),
                         column(scenario.sensitivity("academic.achievement.math", samples=4, bootstrap=4), "total"))

    def test_an_effect_model_name_as_model_is_an_error_naming_effect_model(self):
        with self.assertRaises(pathways.InputError) as caught:
            pathways.load(PILOT).run(model="linear", draws=0)
        found = caught.exception.diagnostics[0]
        self.assertEqual((found.file, found.pointer), ("<python>", "model"))
        self.assertEqual(found.message,
                         "'linear' is not a model file; expected a theory of change ending in .json, .lav, .lavaan, "
                         ".dag or .dagitty (the effect model is now effect_model=, e.g. effect_model='linear')")
        with self.assertRaises(pathways.InputError):
            pathways.load(PILOT).sensitivity("academic.achievement.math", samples=4, model="linear")
        with self.assertRaises(pathways.InputError) as caught:  # a model file is read, not just named
            pathways.load(PILOT).run(model="no-such-model.lav", draws=0)
        self.assertIn("no-such-model.lav", str(caught.exception))

    def test_effect_model_picks_the_plugin(self):
        table = pathways.load(PILOT).run(draws=0, effect_model="linear").table()
        self.assertEqual(set(table["model"]), {"linear"})


def small_calibrated_scenario(folder):
    """The Denver scale-up over the three observed years (all students and PL students, math only), its
    district copied beside it, calibrated on the synthetic observed outcomes: (scenario, parameter file),
    the parameter file carrying a joint posterior (posterior_draws)."""
    districts = os.path.join("scenarios", "districts")
    os.makedirs(os.path.join(folder, "districts"))
    for name in ("denver-2018.json", "denver-2018-schools.csv"):
        with open(os.path.join(districts, name), "rb") as source, \
                open(os.path.join(folder, "districts", name), "wb") as copy:
            copy.write(source.read())
    with open("scenarios/denver-scale-up.json", encoding="utf-8") as f:
        spec = json.load(f)
    spec["district"] = "districts/denver-2018.json"
    spec["horizon"] = {"start_year": 2017, "years": 3}
    spec["report"] = {"subgroups": ["all", "pl:yes"], "outcomes": ["academic.achievement.math"], "min_n": 16}
    spec.pop("variants", None)
    scenario = os.path.join(folder, "small.json")
    with open(scenario, "w", encoding="utf-8") as f:
        json.dump(spec, f, indent=1)
    calibrated = os.path.join(folder, "cal.json")
    subprocess.run([CLI, "calibrate", scenario, "--observed",
                    os.path.abspath("scenarios/observed/denver-pilot-2017-2019-synthetic.csv"), "--draws", "100",
                    "--quiet", "--out", calibrated], check=True, stdout=subprocess.DEVNULL)
    return scenario, calibrated


class ParameterFilesAndManifests(unittest.TestCase):
    """A Python run reads parameter files and writes its results folder as `pathways run` does."""

    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.addCleanup(self.folder.cleanup)
        self.scenario, self.calibrated = small_calibrated_scenario(self.folder.name)

    def path(self, name):
        return os.path.join(self.folder.name, name)

    def test_a_joint_posterior_is_drawn_from_as_the_cli_does(self):
        results = pathways.load(self.scenario).run(draws=6, seed=4, set_files=[self.calibrated])
        subprocess.run([CLI, "run", self.scenario, "--draws", "6", "--seed", "4", "--set-file", self.calibrated,
                        "--quiet", "--format", "csv", "--out", self.path("cli")], check=True,
                       stdout=subprocess.DEVNULL)
        results.write(self.path("python"), format="csv")
        with open(self.path("cli/projection.csv"), "rb") as cli, open(self.path("python/projection.csv"), "rb") as py:
            self.assertEqual(py.read(), cli.read())
        prior = pathways.load(self.scenario).run(draws=6, seed=4)
        self.assertFalse(np.array_equal(prior.draws("academic.achievement.math"),
                                        results.draws("academic.achievement.math")))

    def test_a_collapsed_posterior_warns(self):
        with open(self.calibrated, encoding="utf-8") as f:
            parameters = json.load(f)
        weights = parameters["posterior_draws"]["weights"]
        parameters["posterior_draws"]["weights"] = [1.0 if i == 3 else 0.0 for i in range(len(weights))]
        parameters["posterior_draws"]["effective_sample_size"] = 1.0
        collapsed = self.path("collapsed.json")
        with open(collapsed, "w", encoding="utf-8") as f:
            json.dump(parameters, f)
        scenario = pathways.load(self.scenario)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            results = scenario.run(draws=4, seed=1, set_files=[collapsed])
        messages = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
        expected = "warning: /posterior_draws: the joint posterior rests on an effective sample of 1.0 of 100 draws"
        self.assertTrue(any(expected in m for m in messages), messages)
        # Every draw is the prior's draw 3, as the CLI's run draws them.
        effect = results.draws("academic.achievement.math")
        self.assertEqual(len(set(effect.tolist())), 1)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            scenario.run(draws=4, seed=1, set_files=[self.calibrated])
        self.assertFalse([w for w in caught if "effective sample" in str(w.message)])

    def test_the_folder_is_the_cli_folder_and_reruns(self):
        results = pathways.load(self.scenario).run(draws=5, seed=9, set_files=[self.calibrated])
        written = results.write(self.path("python"), per_draw=True)
        self.assertEqual(written, ["projection.csv", "projection.json", "draws.csv", "inputs.csv", "manifest.json"])
        subprocess.run([CLI, "run", self.scenario, "--draws", "5", "--seed", "9", "--set-file", self.calibrated,
                        "--per-draw", "--quiet", "--out", self.path("cli")], check=True, stdout=subprocess.DEVNULL)
        for name in written[:-1]:
            with open(self.path("cli/" + name), "rb") as cli, open(self.path("python/" + name), "rb") as py:
                self.assertEqual(py.read(), cli.read(), name)
        with open(self.path("python/manifest.json"), encoding="utf-8") as f:
            mine = json.load(f)
        with open(self.path("cli/manifest.json"), encoding="utf-8") as f:
            theirs = json.load(f)
        self.assertEqual(set(mine.keys()), set(theirs.keys()))
        for key in ("scenario", "effect_model", "seed", "draws", "inputs", "suppression", "min_n", "pinned"):
            if key in theirs:
                self.assertEqual(mine[key], theirs[key], key)
        for name, hash_ in theirs["outputs"].items():
            if name in mine["outputs"]:
                self.assertEqual(mine["outputs"][name], hash_, name)
        self.assertEqual(mine["command_line"][0], "python")
        self.assertIn(f"set_files=['{self.calibrated}']", mine["command_line"][1])
        self.assertIn("seed=9", mine["command_line"][1])
        # `pathways rerun` repeats a Python run from the inputs its folder keeps, byte for byte.
        rerun = subprocess.run([CLI, "rerun", self.path("python"), "--quiet", "--out", self.path("again")],
                               capture_output=True, text=True)
        self.assertEqual(rerun.returncode, 0, rerun.stdout + rerun.stderr)
        self.assertIn("Reproduced: 4 of 4 files the same", rerun.stdout)

    def test_a_folder_is_replaced_only_with_force(self):
        results = pathways.load(self.scenario).run(draws=2, seed=1)
        results.write(self.path("out"), format="json")
        with self.assertRaises(pathways.InputError):
            results.write(self.path("out"), format="json")
        self.assertEqual(results.write(self.path("out"), format="csv", force=True), ["projection.csv", "manifest.json"])
        self.assertFalse(os.path.exists(self.path("out/projection.json")))  # a new run replaces the old one whole
        with self.assertRaises(pathways.InputError) as raised:
            results.write(self.path("other"), format="xml")
        self.assertIn("unknown output format 'xml'", str(raised.exception))

    def test_compare_models_and_sensitivity_take_parameter_files(self):
        text = '{"pathways_parameters": 1, "model": "linear", "parameters": {"scale": 0.5}}'
        half = self.path("half.json")
        with open(half, "w", encoding="utf-8") as f:
            f.write(text)
        scenario = pathways.load(PILOT)
        from_file = scenario.compare_models(["linear", "lagged"], draws=2, seed=1, set_files=[half])
        from_set = scenario.compare_models(["linear", "lagged"], draws=2, seed=1, set={"linear:scale": 0.5})
        default = scenario.compare_models(["linear", "lagged"], draws=2, seed=1)
        self.assertEqual(list(from_file["mean"]), list(from_set["mean"]))
        self.assertNotEqual(list(from_file["mean"]), list(default["mean"]))
        sensitivity = scenario.sensitivity("academic.achievement.math", samples=4, bootstrap=4,
                                           effect_model="linear", set_files=[half])
        self.assertEqual(list(sensitivity["total"]),
                         list(scenario.sensitivity("academic.achievement.math", samples=4, bootstrap=4,
                                                   effect_model="linear", set={"scale": 0.5})["total"]))


def worked_example():
    """docs/python-example.py as a module (its main() not run)."""
    spec = importlib.util.spec_from_file_location("python_example", "docs/python-example.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class WorkedExample(unittest.TestCase):
    def test_the_screen_covers_every_input(self):
        # The program's cut year is empty (NaN) in draws without a cut: it is screened all the same, as
        # whether the draw cuts and when among those that do, with every other input.
        results = pathways.load("scenarios/denver-scale-up.json").run(draws=64, seed=1)
        inputs = results.inputs()
        effect = results.draws("academic.achievement.math")
        self.assertTrue(np.isnan(np.asarray(inputs["program:cut_year"], dtype=float)).any())
        screened = worked_example().screen(inputs, effect)
        self.assertEqual({name for _, _, name in screened}, set(inputs.keys()) - {"draw"})
        self.assertTrue(all(not math.isnan(r) for r, _, _ in screened))
        labels = [label for _, label, _ in screened]
        self.assertIn("program:cut_year (has a value or not)", labels)
        self.assertIn("program:cut_year (among draws with one)", labels)


if __name__ == "__main__":
    unittest.main(verbosity=2)
