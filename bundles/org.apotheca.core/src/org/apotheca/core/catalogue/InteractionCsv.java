package org.apotheca.core.catalogue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apotheca.core.catalogue.CatalogueCsv.Problem;
import org.apotheca.core.catalogue.CatalogueCsv.Record;
import org.apotheca.model.InteractionSeverity;

/**
 * The interaction-rules file central imports with the same command as products ({@code apotheca catalogue import}),
 * told apart by its header (docs/catalogue.md): CSV as {@link CatalogueCsv} reads it, one rule per row, keyed by its
 * two active ingredients (in either order). A pure function of the file's bytes, every problem with its line.
 */
public final class InteractionCsv {

  /** The columns, in the order written; all but {@code advice} required. */
  public static final List<String> COLUMNS = List.of("ingredient_a", "ingredient_b", "severity", "description", "advice");
  /** A severity that takes the rule out of the catalogue. */
  public static final String WITHDRAWN = "WITHDRAWN";
  public static final int MAX_TEXT_LENGTH = 500;

  private InteractionCsv() {
  }

  /**
   * One rule row.
   *
   * @param severity null when the row withdraws the rule
   */
  public record Rule(int line, String ingredientA, String ingredientB, InteractionSeverity severity, String description,
      String advice) {
  }

  public record Parsed(List<Rule> rules, List<Problem> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /** Whether a file's header names interaction-rule columns (else it is a product file). */
  public static boolean isRulesFile(byte[] bytes) {
    String text = CatalogueCsv.decode(bytes, new ArrayList<>());
    if (text == null) {
      return false;
    }
    for (Record r : CatalogueCsv.tokenize(text.startsWith("\uFEFF") ? text.substring(1) : text)) {
      if (!r.blank()) {
        return r.fields().stream().anyMatch(f -> f.strip().equalsIgnoreCase(COLUMNS.get(0)));
      }
    }
    return false;
  }

  public static Parsed parse(byte[] bytes) {
    List<Problem> problems = new ArrayList<>();
    String text = CatalogueCsv.decode(bytes, problems);
    if (text == null) {
      return new Parsed(List.of(), problems);
    }
    List<Record> records = CatalogueCsv.tokenize(text.startsWith("\uFEFF") ? text.substring(1) : text);
    int i = 0;
    while (i < records.size() && records.get(i).blank()) {
      i++;
    }
    if (i == records.size()) {
      problems.add(new Problem(0, "the file is empty: its first line must name the columns " + String.join(",", COLUMNS)));
      return new Parsed(List.of(), problems);
    }
    Record header = records.get(i++);
    Map<String, Integer> at = new LinkedHashMap<>();
    for (int k = 0; k < header.fields().size(); k++) {
      String name = header.fields().get(k).strip().toLowerCase(Locale.ROOT);
      if (!COLUMNS.contains(name)) {
        problems.add(new Problem(header.line(), "unknown column '" + header.fields().get(k).strip() + "' (the columns are "
            + String.join(",", COLUMNS) + ")"));
      } else if (at.putIfAbsent(name, k) != null) {
        problems.add(new Problem(header.line(), "column '" + name + "' is named twice"));
      }
    }
    for (String required : COLUMNS.subList(0, 4)) {
      if (!at.containsKey(required)) {
        problems.add(new Problem(header.line(), "the header has no column '" + required + "' (required: "
            + String.join(", ", COLUMNS.subList(0, 4)) + ")"));
      }
    }
    if (!problems.isEmpty()) {
      return new Parsed(List.of(), problems);
    }
    List<Rule> rules = new ArrayList<>();
    Map<String, Integer> lineOfPair = new HashMap<>();
    for (; i < records.size(); i++) {
      Record r = records.get(i);
      if (r.blank()) {
        continue;
      }
      if (r.syntaxError() != null) {
        problems.add(new Problem(r.line(), r.syntaxError()));
        continue;
      }
      if (r.fields().size() != header.fields().size()) {
        problems.add(new Problem(r.line(), r.fields().size() + " fields, but the header has " + header.fields().size()
            + " columns (a comma inside a value needs the value in double quotes)"));
        continue;
      }
      int before = problems.size();
      String a = r.fields().get(at.get("ingredient_a")).strip();
      String b = r.fields().get(at.get("ingredient_b")).strip();
      String severityText = r.fields().get(at.get("severity")).strip().toUpperCase(Locale.ROOT);
      String description = r.fields().get(at.get("description")).strip();
      String advice = at.containsKey("advice") ? r.fields().get(at.get("advice")).strip() : null;
      if (a.isEmpty() || b.isEmpty()) {
        problems.add(new Problem(r.line(), "a rule names two active ingredients (ingredient_a and ingredient_b)"));
      } else if (a.equalsIgnoreCase(b)) {
        problems.add(new Problem(r.line(), "ingredient_a and ingredient_b are both " + a + " (a rule is between two ingredients)"));
      } else {
        String pair = a.compareToIgnoreCase(b) < 0 ? (a + "+" + b).toLowerCase(Locale.ROOT) : (b + "+" + a).toLowerCase(Locale.ROOT);
        Integer first = lineOfPair.putIfAbsent(pair, r.line());
        if (first != null) {
          problems.add(new Problem(r.line(), a + " with " + b + " is also on line " + first + " (one row per pair)"));
        }
      }
      InteractionSeverity severity = null;
      if (!severityText.equals(WITHDRAWN)) {
        severity = InteractionSeverity.get(severityText);
        if (severity == null) {
          problems.add(new Problem(r.line(), "severity '" + r.fields().get(at.get("severity")).strip()
              + "' is not one of MINOR, MODERATE, MAJOR, CONTRAINDICATED, WITHDRAWN"));
        }
      }
      if (description.isEmpty() && !severityText.equals(WITHDRAWN)) {
        problems.add(new Problem(r.line(), "no description (what happens when both are taken)"));
      }
      if (description.length() > MAX_TEXT_LENGTH || advice != null && advice.length() > MAX_TEXT_LENGTH) {
        problems.add(new Problem(r.line(), "description and advice have at most " + MAX_TEXT_LENGTH + " characters each"));
      }
      if (problems.size() == before) {
        rules.add(new Rule(r.line(), a, b, severity, description, advice));
      }
    }
    if (rules.isEmpty() && problems.isEmpty()) {
      problems.add(new Problem(0, "the file has a header but no rule rows"));
    }
    return new Parsed(List.copyOf(rules), List.copyOf(problems));
  }
}
