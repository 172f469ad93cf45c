package org.apotheca.ui.till;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

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

  private record Entry(int keyCode, String key, String legend, IConfigurationElement element) {
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
            + ": not a free function key");
        continue;
      }
      entries.add(new Entry(code, key, e.getAttribute("legend"), e));
    }
    entries.sort(Comparator.comparingInt(Entry::keyCode));
  }

  /** F1 to F12 only: the till's other keys type into its scan field. */
  static int keyCode(String key) {
    if (key != null && key.matches("F([1-9]|1[0-2])")) {
      return SWT.F1 + Integer.parseInt(key.substring(1)) - 1;
    }
    return 0;
  }

  boolean has(int keyCode) {
    return entries.stream().anyMatch(e -> e.keyCode == keyCode);
  }

  /** " · F5 stocktake · F10 cash-up", to append to the till's key legend. */
  String legend() {
    StringBuilder b = new StringBuilder();
    for (Entry e : entries) {
      b.append(" \u00b7 ").append(e.key).append(' ').append(e.legend);
    }
    return b.toString();
  }

  /** Opens the window on that key; false (with the reason in the log) when its bundle could not make it. */
  boolean open(int keyCode, Shell till) {
    for (Entry e : entries) {
      if (e.keyCode == keyCode) {
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
