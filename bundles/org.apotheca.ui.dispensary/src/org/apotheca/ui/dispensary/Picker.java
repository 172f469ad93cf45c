package org.apotheca.ui.dispensary;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;

import org.apotheca.node.api.NodeException;
import org.apotheca.node.api.Refusal;
import org.apotheca.ui.Async;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;

/**
 * A field that finds something as you type (a patient, a prescriber, a product): the matches appear in a list under
 * it, ↑ ↓ choose, Enter takes the chosen one. The node is asked off the UI thread; an answer to an older keystroke is
 * dropped. The list takes no room while there is nothing to choose.
 */
final class Picker<T> {

  static final int DELAY_MS = 120;

  private final Text field;
  private final Table list;
  private final Function<String, Callable<List<T>>> search;
  private final Function<T, String[]> row;
  private final Consumer<T> chosen;
  private final Consumer<NodeException> failed;
  private final Runnable nothing;
  private final Runnable run = this::runSearch;
  private List<T> matches = List.of();
  /** The text the list was found for: Enter takes from the list only while the field still says that. */
  private String shownFor = "";
  private int seq;
  private boolean enterWaiting;
  private boolean quiet;

  /**
   * @param columns {title, width, alignment} triples of the list
   * @param search what to ask the node for the typed text (runs in the background)
   * @param nothing what Enter does with an empty field (moves on)
   */
  Picker(Composite parent, Form owner, String id, String hint, Function<String, Callable<List<T>>> search,
      Function<T, String[]> row, Consumer<T> chosen, Consumer<NodeException> failed, Runnable nothing, Object... columns) {
    this.search = search;
    this.row = row;
    this.chosen = chosen;
    this.failed = failed;
    this.nothing = nothing;
    field = owner.field(parent, id, 300);
    field.setMessage(hint);
    GridDataFactory.fillDefaults().grab(true, false).applyTo(field);
    list = owner.table(parent, id + ".list", columns);
    GridDataFactory.fillDefaults().grab(true, false).span(((org.eclipse.swt.layout.GridLayout) parent.getLayout()).numColumns, 1)
        .hint(SWT.DEFAULT, 140).exclude(true).applyTo(list);
    list.setVisible(false);
    field.addListener(SWT.Modify, e -> {
      seq++;
      if (!quiet) {
        field.getDisplay().timerExec(DELAY_MS, run);
      }
    });
    field.addListener(SWT.KeyDown, e -> {
      if (e.keyCode == SWT.ARROW_DOWN || e.keyCode == SWT.ARROW_UP) {
        e.doit = false;
        move(e.keyCode == SWT.ARROW_DOWN ? 1 : -1);
      }
    });
    Form.onEnter(field, this::enter);
    field.addListener(SWT.Traverse, e -> {
      if (e.detail == SWT.TRAVERSE_ESCAPE && list.getVisible()) {
        // Esc closes the list first, the window only after
        e.doit = false;
        e.detail = SWT.TRAVERSE_NONE;
        seq++;
        show(List.of());
      }
    });
    list.addListener(SWT.DefaultSelection, e -> enter());
  }

  Text field() {
    return field;
  }

  /** Shows {@code text} in the field (what was chosen) without searching for it. */
  void setQuietly(String text) {
    quiet = true;
    try {
      field.setText(text);
    } finally {
      quiet = false;
    }
    show(List.of());
  }

  private void move(int by) {
    int n = list.getItemCount();
    if (n == 0) {
      return;
    }
    int i = list.getSelectionIndex();
    list.setSelection(Math.max(0, Math.min(n - 1, i < 0 ? 0 : i + by)));
    list.showSelection();
  }

  private void enter() {
    if (field.getText().isBlank()) {
      nothing.run();
      return;
    }
    int i = list.getVisible() ? list.getSelectionIndex() : -1;
    if (i >= 0 && i < matches.size() && field.getText().strip().equals(shownFor)) {
      take(matches.get(i));
      return;
    }
    // typed or scanned faster than the list came (or the list is of an earlier text): take the first match of this text
    enterWaiting = true;
    runSearch();
  }

  private void take(T t) {
    enterWaiting = false;
    setQuietly("");
    chosen.accept(t);
  }

  private void runSearch() {
    if (field.isDisposed()) {
      return;
    }
    String text = field.getText().strip();
    int mine = ++seq;
    if (text.isEmpty()) {
      show(List.of());
      return;
    }
    Async.call(field, search.apply(text), found -> {
      if (mine != seq) {
        return; // a newer keystroke asked already
      }
      if (enterWaiting) {
        enterWaiting = false;
        if (!found.isEmpty()) {
          take(found.get(0));
          return;
        }
        failed.accept(new NodeException(Refusal.NOT_FOUND, "Nothing matches \u201c" + text + "\u201d."));
      }
      shownFor = text;
      show(found);
    }, e -> {
      enterWaiting = false;
      if (mine == seq) {
        failed.accept(e);
      }
    });
  }

  private void show(List<T> found) {
    matches = found;
    list.removeAll();
    for (T t : found) {
      new TableItem(list, SWT.NONE).setText(row.apply(t));
    }
    if (!found.isEmpty()) {
      list.setSelection(0);
    }
    boolean shown = !found.isEmpty();
    if (list.getVisible() != shown) {
      ((GridData) list.getLayoutData()).exclude = !shown;
      list.setVisible(shown);
      list.getShell().layout(true, true);
    }
  }

  /** Column {@code fill} takes the width the others leave. */
  static void fill(Table table, int fill) {
    table.addListener(SWT.Resize, e -> {
      int others = 0;
      TableColumn[] cols = table.getColumns();
      // GTK stretches the last column to the edge: count the widths they were made with
      for (int i = 0; i < cols.length; i++) {
        others += i == fill ? 0 : (Integer) cols[i].getData(Form.WIDTH);
      }
      cols[fill].setWidth(Math.max(160, table.getClientArea().width - others));
    });
  }

  static void fillFirst(Table table) {
    fill(table, 0);
  }
}
