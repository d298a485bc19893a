package cn.jiangyin.warehouse.inspection;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * 抽查结果 — one draw of a plan: its seed inputs and seed, how many candidates each risk class had
 * (after exclusions), how many of them were excluded, and the drawn subjects with their inspectors
 * (in class order, then rank order).
 */
public record Draw(
    String planId,
    SeedInputs inputs,
    String seed,
    SortedMap<String, Integer> candidates,
    SortedMap<String, Integer> excluded,
    List<Selection> selections) {

  public Draw {
    requireNonNull(planId, "planId is null");
    requireNonNull(inputs, "inputs is null");
    requireNonNull(seed, "seed is null");
    candidates = new TreeMap<>(candidates);
    excluded = new TreeMap<>(excluded);
    selections = List.copyOf(selections);
  }

  /**
   * What differs between this (recorded) draw and {@code derived} (re-derived from the recorded
   * inputs), one readable line each; empty when they agree.
   */
  public List<String> differences(Draw derived) {
    List<String> differences = new ArrayList<>();
    if (!inputs.canonicalText().equals(derived.inputs.canonicalText())) {
      differences.add("seed inputs differ: recorded " + inputs + ", re-derived " + derived.inputs);
    }
    if (!seed.equals(derived.seed)) {
      differences.add("seed differs: recorded " + seed + ", re-derived " + derived.seed);
    }
    if (!candidates.equals(derived.candidates)) {
      differences.add(
          "candidates per class differ: recorded "
              + candidates
              + ", re-derived "
              + derived.candidates);
    }
    if (!excluded.equals(derived.excluded)) {
      differences.add(
          "excluded per class differ: recorded " + excluded + ", re-derived " + derived.excluded);
    }
    Map<String, Selection> recorded = bySubject(selections);
    Map<String, Selection> expected = bySubject(derived.selections);
    for (Selection selection : expected.values()) {
      Selection actual = recorded.get(selection.subjectId());
      if (actual == null) {
        differences.add(
            "subject " + selection.subjectId() + " should be drawn but is not recorded");
      } else if (!Objects.equals(actual, selection)) {
        differences.add(
            "subject "
                + selection.subjectId()
                + ": recorded "
                + actual
                + ", re-derived "
                + selection);
      }
    }
    for (Selection selection : recorded.values()) {
      if (!expected.containsKey(selection.subjectId())) {
        differences.add("subject " + selection.subjectId() + " is recorded but was not drawn");
      }
    }
    if (differences.isEmpty() && !selections.equals(derived.selections)) {
      differences.add("selections are recorded in a different order");
    }
    return differences;
  }

  private static Map<String, Selection> bySubject(List<Selection> selections) {
    return selections.stream()
        .collect(
            Collectors.toMap(
                Selection::subjectId, Function.identity(), (first, second) -> first, TreeMap::new));
  }
}
