package org.apotheca.ui.till.basket;

/** One edit of the basket that can be undone and done again. Redo is {@link #execute} once more. */
public interface BasketCommand {

  void execute(Basket basket);

  void undo(Basket basket);

  /** "Add Paracetamol 500mg", for the till's message after undo/redo. */
  String describe();
}
