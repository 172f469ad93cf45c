package org.apotheca.ui.till;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.apotheca.node.api.Role;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.Platform;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Shell;

/**
 * The windows other bundles contribute to the till ({@link TillScreen}), by function key. The till itself never
 * depends on those bundles: a workbench without them simply has fewer keys.
 */
final class TillScreens {

  static final String POINT = "org.apotheca.ui.till.screens";

  /** {@code roles} empty: everyone logged in; otherwise only people with one of them see the key and may use it. */
  private record Entry(int keyCode, String key, String legend, Set<Role> roles, IConfigurationElement element) {

    boolean forAnyOf(Set<Role> who) {
      return roles.isEmpty() || who.stream().anyMatch(roles::contains);
    }
  }

  private final List<Entry> entries = new ArrayList<>();

  TillScreens() {
    if (Platform.getExtensionRegistry() == null) {
      return; // plain unit tests: no registry, no contributed windows
    }
    for (IConfigurationElement e : Platform.getExtensionRegistry().getConfigurationElementsFor(POINT)) {
      String key = e.getAttribute("key");
      int code = keyCode(key);
      if (code == 0 || entries.stream().anyMatch(x -> x.keyCode == code)) {
        ILog.of(TillScreens.class).warn("Ignored till screen on key " + key + " from " + e.getContributor().getName()
            + ": not a free function key or Ctrl+letter");
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

  /**
   * F1 to F12, or Ctrl with a letter the till does not use itself ("Ctrl+U"), as SWT's key code with the modifier
   * bits; 0 for anything else: the till's other keys type into its scan field.
   */
  static int keyCode(String key) {
    if (key != null && key.matches("F([1-9]|1[0-2])")) {
      return SWT.F1 + Integer.parseInt(key.substring(1)) - 1;
    }
    if (key != null && key.matches("Ctrl\\+[A-Z]") && "ZYRL".indexOf(key.charAt(5)) < 0) {
      return SWT.CTRL | Character.toLowerCase(key.charAt(5));
    }
    return 0;
  }

  private static Set<Role> roles(String words) {
    if (words == null || words.isBlank()) {
      return Set.of();
    }
    java.util.EnumSet<Role> roles = java.util.EnumSet.noneOf(Role.class);
    for (String w : words.split(",")) {
      roles.add(Role.valueOf(w.trim().toUpperCase(Locale.ROOT)));
    }
    return roles;
  }

  /** Whether someone with these roles has a window on that key ({@link #keyCode} form). */
  boolean has(int keyCode, Set<Role> who) {
    return entries.stream().anyMatch(e -> e.keyCode == keyCode && e.forAnyOf(who));
  }

  /** " · F5 stocktake · F10 cash-up" for someone with these roles, to append to the till's key legend. */
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
