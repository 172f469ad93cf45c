package org.apotheca.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The arguments of one console command: positional words and {@code --option value...} pairs. An option takes
 * the words after it up to the next option (so {@code --batch L1 L2} gives two lots); options not in the allowed
 * set are an error, so a typo never silently does something else.
 */
public final class CommandArgs {

  private final List<String> positional = new ArrayList<>();
  private final Map<String, List<String>> options = new LinkedHashMap<>();

  private CommandArgs() {
  }

  /** Parses {@code args[from..]}; {@code allowed} lists the option names without dashes. */
  public static CommandArgs parse(String[] args, int from, Set<String> allowed) {
    CommandArgs a = new CommandArgs();
    List<String> current = null;
    for (int i = from; i < args.length; i++) {
      String w = args[i];
      if (w.startsWith("--") && w.length() > 2) {
        String name = w.substring(2);
        if (!allowed.contains(name)) {
          throw new IllegalArgumentException("unknown option " + w + (allowed.isEmpty() ? "" : " (allowed: --" + String.join(", --", allowed) + ")"));
        }
        current = a.options.computeIfAbsent(name, k -> new ArrayList<>());
      } else if (current != null) {
        current.add(w);
      } else {
        a.positional.add(w);
      }
    }
    return a;
  }

  public List<String> positional() {
    return positional;
  }

  public boolean has(String option) {
    return options.containsKey(option);
  }

  /** All words given after the option (possibly several occurrences). */
  public List<String> values(String option) {
    return options.getOrDefault(option, List.of());
  }

  /** The option's words joined by spaces, or {@code def}; an option given without a value is an error. */
  public String value(String option, String def) {
    if (!options.containsKey(option)) {
      return def;
    }
    List<String> v = options.get(option);
    if (v.isEmpty()) {
      throw new IllegalArgumentException("--" + option + " needs a value");
    }
    return String.join(" ", v);
  }

  public long longValue(String option, long def) {
    String v = value(option, null);
    if (v == null) {
      return def;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + option + " needs a whole number, not '" + v + "'");
    }
  }

  /** Splits a command line into words; double quotes group words ("a b" is one word), as Gogo does. */
  public static String[] split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
        any = true;
      } else if (Character.isWhitespace(c) && !quoted) {
        if (any) {
          words.add(w.toString());
          w.setLength(0);
          any = false;
        }
      } else {
        w.append(c);
        any = true;
      }
    }
    if (quoted) {
      // not quoting the line back: it may hold a password (apotheca user add ... --password "...)
      throw new IllegalArgumentException("unbalanced double quote in the command (" + words.size() + " complete words before it)");
    }
    if (any) {
      words.add(w.toString());
    }
    return words.toArray(String[]::new);
  }

  /** Parses a whole number argument with a clear message. */
  public static long number(String what, String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " must be a whole number, not '" + text + "'");
    }
  }
}
