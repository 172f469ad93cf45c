package org.apotheca.ui.till.basket;

/** One edit of the basket that can be undone and done again. Redo is {@link #execute} once more. */
public interface BasketCommand {

  void execute(Basket basket);

  void undo(Basket basket);

  /** The line this edit is about: the till selects it after the edit, its undo and its redo. */
  String lineId();

  /** "Add Paracetamol 500mg", for the till's message after undo/redo. */
  String describe();
}
