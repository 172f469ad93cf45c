package org.apotheca.ui.till.basket;

/** A line taken out; undo puts it back where it was. */
public final class RemoveLineCommand implements BasketCommand {

  private final BasketLine line;
  private int index = -1;

  public RemoveLineCommand(BasketLine line) {
    this.line = line;
  }

  @Override
  public void execute(Basket basket) {
    index = basket.indexOf(line.id());
    basket.remove(line.id());
  }

  @Override
  public void undo(Basket basket) {
    basket.insert(index, line);
  }

  @Override
  public String lineId() {
    return line.id();
  }

  @Override
  public String describe() {
    return "remove " + line.name();
  }
}
