package org.apotheca.ui;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Short sentences other bundles want in the status line next to the node's state ("Updates available ..."), by key
 * so each bundle replaces or withdraws its own. Listeners are called on the thread that changed a notice.
 */
public final class Notices {

  private static final Notices INSTANCE = new Notices();

  private final Map<String, String> texts = new TreeMap<>();
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

  private Notices() {
  }

  public static Notices get() {
    return INSTANCE;
  }

  /** Shows {@code text} under {@code key}, or withdraws that notice when text is null or empty. */
  public void put(String key, String text) {
    String now;
    synchronized (texts) {
      if (text == null || text.isEmpty()) {
        texts.remove(key);
      } else {
        texts.put(key, text);
      }
      now = current();
    }
    listeners.forEach(l -> l.accept(now));
  }

  /** Every notice in one line, empty when there is none. */
  public String current() {
    synchronized (texts) {
      return String.join(" \u00b7 ", texts.values());
    }
  }

  public void addListener(Consumer<String> l) {
    listeners.add(l);
  }

  public void removeListener(Consumer<String> l) {
    listeners.remove(l);
  }
}
