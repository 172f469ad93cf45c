package org.apotheca.ui.till;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apotheca.node.api.Role;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.Platform;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Shell;

/**
 * The windows other bundles contribute to the till ({@link TillScreen}), by a free key (see {@link #keyCode}). The till itself never
 * depends on those bundles: a workbench without them simply has fewer keys.
 */
public final class TillScreens {

  static final String POINT = "org.apotheca.ui.till.screens";

  /** {@code roles} empty: everyone logged in; otherwise only people with one of them see the key and may use it. */
  private record Entry(int keyCode, String key, String legend, Set<Role> roles, IConfigurationElement element) {

    boolean forAnyOf(Set<Role> who) {
      return roles.isEmpty() || who.stream().anyMatch(roles::contains);
    }
  }

  private final List<Entry> entries = new ArrayList<>();

  /** Public for {@link #keyCode} only: made by the till. */
  TillScreens() {
    if (Platform.getExtensionRegistry() == null) {
      return; // plain unit tests: no registry, no contributed windows
    }
    for (IConfigurationElement e : Platform.getExtensionRegistry().getConfigurationElementsFor(POINT)) {
      int code = keyCode(e.getAttribute("key"));
      String key = code == 0 ? e.getAttribute("key") : keyName(code);
      if (code == 0 || entries.stream().anyMatch(x -> x.keyCode == code)) {
        ILog.of(TillScreens.class).warn("Ignored till screen on key " + key + " from " + e.getContributor().getName()
            + ": not a free key (F1-F12, Shift+F1-F12 or Ctrl+ a letter, none the till uses itself)");
        continue;
      }
      Set<Role> roles;
      try {
        roles = roles(e.getAttribute("roles"));
      } catch (IllegalArgumentException ex) {
        ILog.of(TillScreens.class).warn("Ignored till screen on key " + key + " from " + e.getContributor().getName()
            + ": roles=\"" + e.getAttribute("roles") + "\" names no role");
        continue;
      }
      entries.add(new Entry(code, key, e.getAttribute("legend"), roles, e));
    }
    // function keys first, then Ctrl keys: the counter's keys lead the legend
    entries.sort(Comparator.comparingInt((Entry x) -> x.keyCode & SWT.CTRL).thenComparingInt(Entry::keyCode));
  }

  /** Keys the till (and its scan field) already answer: a screen there would never open. */
  private static final Set<Integer> TAKEN = Set.of(SWT.F4, SWT.F6, SWT.F7, SWT.F8, SWT.F9, SWT.F12,
      SWT.CTRL | 'a', SWT.CTRL | 'c', SWT.CTRL | 'v', SWT.CTRL | 'x', // editing the scan field
      SWT.CTRL | 'z', SWT.CTRL | 'y', SWT.CTRL | 'r', SWT.CTRL | 'l'); // undo, redo, merge notes, lock

  private static final Pattern KEY = Pattern.compile("(?i)(shift\\+)?f([1-9]|1[0-2])|ctrl\\+([a-z])");

  /**
   * SWT's key code, with {@code SWT.SHIFT} or {@code SWT.CTRL} or-ed in, of "F5", "Shift+F5" or "Ctrl+P" (any case);
   * 0 for anything else or a key the till uses itself. Other keys with modifiers type into the scan field.
   */
  public static int keyCode(String key) {
    Matcher m = key == null ? null : KEY.matcher(key.strip());
    if (m == null || !m.matches()) {
      return 0;
    }
    int code = m.group(3) != null ? SWT.CTRL | Character.toLowerCase(m.group(3).charAt(0))
        : (m.group(1) != null ? SWT.SHIFT : 0) | SWT.F1 + Integer.parseInt(m.group(2)) - 1;
    return TAKEN.contains(code) ? 0 : code;
  }

  /** "F5", "Shift+F5", "Ctrl+P": how the key legend writes a {@link #keyCode}. */
  public static String keyName(int code) {
    String prefix = (code & SWT.CTRL) != 0 ? "Ctrl+" : (code & SWT.SHIFT) != 0 ? "Shift+" : "";
    int key = code & ~SWT.MODIFIER_MASK;
    return prefix + (key >= SWT.F1 && key <= SWT.F12 ? "F" + (key - SWT.F1 + 1) : String.valueOf(Character.toUpperCase((char) key)));
  }

  /** "admin" or "pharmacist, manager": the roles a screen is for; empty for everyone. */
  private static Set<Role> roles(String words) {
    if (words == null || words.isBlank()) {
      return Set.of();
    }
    EnumSet<Role> roles = EnumSet.noneOf(Role.class);
    for (String w : words.split(",")) {
      roles.add(Role.valueOf(w.trim().toUpperCase(Locale.ROOT)));
    }
    return roles;
  }

  /** Whether someone with these roles has a window on that key ({@link #keyCode} form). */
  boolean has(int keyCode, Set<Role> who) {
    return entries.stream().anyMatch(e -> e.keyCode == keyCode && e.forAnyOf(who));
  }

  /** " · F5 stocktake · F10 cash-up · Shift+F5 shelf labels" for someone with these roles, for the key legend. */
  String legend(Set<Role> who) {
    StringBuilder b = new StringBuilder();
    for (Entry e : entries) {
      if (e.forAnyOf(who)) {
        b.append(" \u00b7 ").append(e.key).append(' ').append(e.legend);
      }
    }
    return b.toString();
  }

  /** Opens the window on that key; false (with the reason in the log) when its bundle could not make it. */
  boolean open(int keyCode, Set<Role> who, Shell till) {
    for (Entry e : entries) {
      if (e.keyCode == keyCode && e.forAnyOf(who)) {
        try {
          ((TillScreen) e.element.createExecutableExtension("class")).open(till);
          return true;
        } catch (CoreException | ClassCastException ex) {
          ILog.of(TillScreens.class).error("Cannot open the till screen on " + e.key, ex);
          return false;
        }
      }
    }
    return false;
  }
}
