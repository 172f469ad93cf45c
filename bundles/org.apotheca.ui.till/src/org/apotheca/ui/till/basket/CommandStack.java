package org.apotheca.ui.till.basket;

import java.util.ArrayDeque;
import java.util.Deque;

/** Undo and redo of one basket's edits. Payment ends it: a paid basket has nothing to undo. */
public final class CommandStack {

  private final Basket basket;
  private final Deque<BasketCommand> done = new ArrayDeque<>();
  private final Deque<BasketCommand> undone = new ArrayDeque<>();

  public CommandStack(Basket basket) {
    this.basket = basket;
  }

  public Basket basket() {
    return basket;
  }

  public void execute(BasketCommand c) {
    c.execute(basket);
    done.push(c);
    undone.clear();
  }

  public boolean canUndo() {
    return !done.isEmpty();
  }

  public boolean canRedo() {
    return !undone.isEmpty();
  }

  /** Undoes the last edit and returns it, or null when there is nothing to undo. */
  public BasketCommand undo() {
    BasketCommand c = done.poll();
    if (c != null) {
      c.undo(basket);
      undone.push(c);
    }
    return c;
  }

  public BasketCommand redo() {
    BasketCommand c = undone.poll();
    if (c != null) {
      c.execute(basket);
      done.push(c);
    }
    return c;
  }

  /** Forgets every edit (after payment, or when another person takes over the till). */
  public void clear() {
    done.clear();
    undone.clear();
  }
}
