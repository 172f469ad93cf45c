package org.apotheca.ui.till.basket;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The lines being sold. Edited only through {@link BasketCommand}s, so every edit can be undone. */
public final class Basket {

  private final List<BasketLine> lines = new ArrayList<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  public List<BasketLine> lines() {
    return List.copyOf(lines);
  }

  public int size() {
    return lines.size();
  }

  public boolean isEmpty() {
    return lines.isEmpty();
  }

  public int indexOf(String lineId) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).id().equals(lineId)) {
        return i;
      }
    }
    return -1;
  }

  public BasketLine line(String lineId) {
    int i = indexOf(lineId);
    return i < 0 ? null : lines.get(i);
  }

  /** The line a plain scan of this product adds to, or null. */
  public BasketLine mergeable(String gtin, String lot) {
    for (BasketLine l : lines) {
      if (l.mergesWith(gtin, lot)) {
        return l;
      }
    }
    return null;
  }

  public long totalMinor() {
    return lines.stream().mapToLong(l -> l.quote().lineTotalMinor()).sum();
  }

  public long vatMinor() {
    return lines.stream().mapToLong(l -> l.quote().vatMinor()).sum();
  }

  public int units() {
    return lines.stream().mapToInt(BasketLine::quantity).sum();
  }

  void insert(int index, BasketLine line) {
    if (indexOf(line.id()) >= 0) {
      throw new IllegalStateException("line " + line.id() + " is already in the basket");
    }
    lines.add(Math.min(Math.max(index, 0), lines.size()), line);
    changed();
  }

  void remove(String lineId) {
    int i = indexOf(lineId);
    if (i < 0) {
      throw new IllegalStateException("no line " + lineId + " in the basket");
    }
    lines.remove(i);
    changed();
  }

  void replace(BasketLine line) {
    int i = indexOf(line.id());
    if (i < 0) {
      throw new IllegalStateException("no line " + line.id() + " in the basket");
    }
    lines.set(i, line);
    changed();
  }

  /** After payment: a new customer, nothing to undo. */
  public void clear() {
    lines.clear();
    changed();
  }

  public void addListener(Runnable l) {
    listeners.add(l);
  }

  private void changed() {
    listeners.forEach(Runnable::run);
  }
}
