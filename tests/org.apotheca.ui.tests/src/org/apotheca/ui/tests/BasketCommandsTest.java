package org.apotheca.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apotheca.node.api.Allocation;
import org.apotheca.node.api.LineRequest;
import org.apotheca.node.api.ProductInfo;
import org.apotheca.node.api.Quote;
import org.apotheca.ui.till.basket.AddLineCommand;
import org.apotheca.ui.till.basket.Basket;
import org.apotheca.ui.till.basket.BasketLine;
import org.apotheca.ui.till.basket.ChangeQuantityCommand;
import org.apotheca.ui.till.basket.CommandStack;
import org.apotheca.ui.till.basket.RemoveLineCommand;
import org.junit.jupiter.api.Test;

/** Each basket edit done, undone and done again, on plain records: no workbench, no node. */
class BasketCommandsTest {

  private static final ProductInfo PARACETAMOL = new ProductInfo("p1", "4006381333931", "04006381333931",
      "Paracetamol 500 mg", "paracetamol", "20 tablets", 250, 2000, "", false, false, 40, 40);
  private static final ProductInfo IBUPROFEN = new ProductInfo("p2", "5012345678900", "05012345678900",
      "Ibuprofen 200 mg", "ibuprofen", "24 tablets", 399, 2000, "", false, false, 10, 10);

  private static Quote quote(ProductInfo p, String lot, int quantity) {
    long total = p.priceMinor() * quantity;
    return new Quote(p, new LineRequest(p.barcode(), lot, null, quantity), p.priceMinor(), p.vatBasisPoints(), total,
        total / 6, List.of(new Allocation("b-" + p.id(), lot == null ? "FEFO-1" : lot, "2027-01-31", quantity)));
  }

  private static List<String> show(Basket b) {
    return b.lines().stream().map(l -> l.name() + " x" + l.quantity()).toList();
  }

  @Test
  void addLineAddsAtTheEndUndoTakesItOutRedoPutsItBack() {
    Basket basket = new Basket();
    CommandStack stack = new CommandStack(basket);
    stack.execute(new AddLineCommand(new BasketLine("a", quote(PARACETAMOL, null, 1))));
    stack.execute(new AddLineCommand(new BasketLine("b", quote(IBUPROFEN, null, 2))));
    assertEquals(List.of("Paracetamol 500 mg x1", "Ibuprofen 200 mg x2"), show(basket));
    assertEquals(250 + 798, basket.totalMinor());
    assertEquals(3, basket.units());

    assertEquals("add 2 \u00d7 Ibuprofen 200 mg", stack.undo().describe());
    assertEquals(List.of("Paracetamol 500 mg x1"), show(basket));
    assertTrue(stack.canRedo());
    stack.redo();
    assertEquals(List.of("Paracetamol 500 mg x1", "Ibuprofen 200 mg x2"), show(basket));
    assertFalse(stack.canRedo());
  }

  @Test
  void changeQuantitySwapsTheQuoteBothWays() {
    Basket basket = new Basket();
    CommandStack stack = new CommandStack(basket);
    BasketLine line = new BasketLine("a", quote(PARACETAMOL, null, 1));
    stack.execute(new AddLineCommand(line));
    stack.execute(new ChangeQuantityCommand(line, quote(PARACETAMOL, null, 3)));
    assertEquals(List.of("Paracetamol 500 mg x3"), show(basket));
    assertEquals(750, basket.totalMinor(), "the node's new line total, not a till-side multiplication");

    assertEquals("quantity of Paracetamol 500 mg 1 \u2192 3", stack.undo().describe());
    assertEquals(List.of("Paracetamol 500 mg x1"), show(basket));
    assertEquals(250, basket.totalMinor());
    stack.redo();
    assertEquals(List.of("Paracetamol 500 mg x3"), show(basket));
    assertEquals("a", basket.lines().get(0).id(), "the same line, edited in place");
  }

  @Test
  void removeLineUndoPutsItBackWhereItWas() {
    Basket basket = new Basket();
    CommandStack stack = new CommandStack(basket);
    BasketLine first = new BasketLine("a", quote(PARACETAMOL, null, 1));
    BasketLine second = new BasketLine("b", quote(IBUPROFEN, "L7", 1));
    BasketLine third = new BasketLine("c", quote(PARACETAMOL, "L9", 2));
    for (BasketLine l : List.of(first, second, third)) {
      stack.execute(new AddLineCommand(l));
    }
    stack.execute(new RemoveLineCommand(second));
    assertEquals(List.of("a", "c"), basket.lines().stream().map(BasketLine::id).toList());
    stack.undo();
    assertEquals(List.of("a", "b", "c"), basket.lines().stream().map(BasketLine::id).toList(), "back in the middle");
    stack.redo();
    assertEquals(List.of("a", "c"), basket.lines().stream().map(BasketLine::id).toList());
  }

  @Test
  void aNewEditForgetsTheRedoAndPaymentEndsTheUndo() {
    Basket basket = new Basket();
    CommandStack stack = new CommandStack(basket);
    stack.execute(new AddLineCommand(new BasketLine("a", quote(PARACETAMOL, null, 1))));
    stack.undo();
    stack.execute(new AddLineCommand(new BasketLine("b", quote(IBUPROFEN, null, 1))));
    assertNull(stack.redo(), "redo is gone after a new edit");
    assertEquals(List.of("Ibuprofen 200 mg x1"), show(basket));

    stack.clear(); // what the till does after payment
    basket.clear();
    assertNull(stack.undo());
    assertTrue(basket.isEmpty());
  }

  @Test
  void onlyAPlainScanOfTheSameProductMerges() {
    Basket basket = new Basket();
    CommandStack stack = new CommandStack(basket);
    stack.execute(new AddLineCommand(new BasketLine("a", quote(PARACETAMOL, null, 1))));
    stack.execute(new AddLineCommand(new BasketLine("b", quote(IBUPROFEN, "L7", 1))));
    assertEquals("a", basket.mergeable(PARACETAMOL.gtin(), null).id());
    assertNull(basket.mergeable(IBUPROFEN.gtin(), null), "a line of a scanned lot stays that lot's");
    assertNull(basket.mergeable(PARACETAMOL.gtin(), "L1"), "a scanned lot gets its own line");
    assertEquals("L7", basket.lines().get(1).lots());
  }
}
