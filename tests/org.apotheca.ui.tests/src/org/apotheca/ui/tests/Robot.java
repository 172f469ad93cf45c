package org.apotheca.ui.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

import org.apotheca.ui.Ids;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.CLabel;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.eclipse.swt.widgets.Widget;
import org.eclipse.ui.PlatformUI;

/**
 * Drives the real workbench as a person would, from the test thread: finds widgets by their {@code apotheca.id},
 * types through the X server ({@link Display#post}), clicks, reads, waits for conditions with a deadline, and takes
 * screenshots. SWTBot is not on Maven Central; this is the little of it the till's tests need.
 */
final class Robot {

  static final long TIMEOUT_MS = 60_000;
  /** Characters typed with Shift held on a US keyboard. */
  private static final String SHIFTED = "~!@#$%^&*()_+{}|:\"<>?ABCDEFGHIJKLMNOPQRSTUVWXYZ";

  Display display() {
    return PlatformUI.getWorkbench().getDisplay();
  }

  // ---- threads and waiting ----

  <T> T ui(Callable<T> c) {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> error = new AtomicReference<>();
    display().syncExec(() -> {
      try {
        result.set(c.call());
      } catch (Throwable e) {
        error.set(e);
      }
    });
    if (error.get() instanceof RuntimeException r) {
      throw r;
    }
    if (error.get() instanceof Error e) {
      throw e;
    }
    if (error.get() != null) {
      throw new IllegalStateException(error.get());
    }
    return result.get();
  }

  void run(Runnable r) {
    ui(() -> {
      r.run();
      return null;
    });
  }

  /** Polls until the condition yields something other than null or false; fails with {@code what} at the deadline. */
  static <T> T waitFor(String what, Callable<T> condition) {
    return waitFor(what, TIMEOUT_MS, condition);
  }

  static <T> T waitFor(String what, long timeoutMs, Callable<T> condition) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    Throwable last = null;
    while (true) {
      try {
        T value = condition.call();
        if (value != null && !Boolean.FALSE.equals(value)) {
          return value;
        }
        last = null;
      } catch (Exception | AssertionError e) {
        last = e;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out after " + timeoutMs / 1000 + " s waiting for " + what, last);
      }
      try {
        Thread.sleep(50); // poll interval
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
  }

  // ---- finding ----

  /** The visible widget with this id in any open shell, or null (UI thread). */
  Widget findNow(String id) {
    Shell[] shells = display().getShells();
    for (int i = shells.length - 1; i >= 0; i--) { // dialogs (newest shells) first
      Widget w = find(shells[i], id);
      if (w != null) {
        return w;
      }
    }
    return null;
  }

  private static Widget find(Control c, String id) {
    if (c.isDisposed() || !c.isVisible()) {
      return null;
    }
    if (id.equals(Ids.of(c))) {
      return c;
    }
    if (c instanceof Composite comp) {
      for (Control child : comp.getChildren()) {
        Widget w = find(child, id);
        if (w != null) {
          return w;
        }
      }
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  <W extends Widget> W widget(String id) {
    return (W) waitFor("widget " + id, () -> ui(() -> findNow(id)));
  }

  boolean showing(String id) {
    return ui(() -> findNow(id) != null);
  }

  // ---- reading ----

  String text(String id) {
    Widget w = widget(id);
    return ui(() -> textOf(w));
  }

  static String textOf(Widget w) {
    if (w.isDisposed()) {
      return "";
    }
    if (w instanceof Label l) {
      return l.getText();
    }
    if (w instanceof CLabel l) {
      return l.getText() == null ? "" : l.getText();
    }
    if (w instanceof Text t) {
      return t.getText();
    }
    if (w instanceof Button b) {
      return b.getText();
    }
    if (w instanceof Shell s) {
      return s.getText();
    }
    throw new IllegalArgumentException("no text in " + w);
  }

  /** Waits until the widget's text satisfies {@code test}, then returns it. */
  String waitForText(String id, String what, java.util.function.Predicate<String> test) {
    return waitFor(id + " " + what, () -> ui(() -> {
      Widget w = findNow(id);
      String t = w == null ? null : textOf(w);
      return t != null && test.test(t) ? t : null;
    }));
  }

  List<String[]> rows(String id) {
    Table table = widget(id);
    return ui(() -> {
      List<String[]> out = new ArrayList<>();
      for (TableItem item : table.getItems()) {
        String[] cells = new String[table.getColumnCount()];
        for (int i = 0; i < cells.length; i++) {
          cells[i] = item.getText(i);
        }
        out.add(cells);
      }
      return out;
    });
  }

  // ---- acting ----

  /** Activates the widget's shell and gives the widget the keyboard focus, as a click into it would. */
  void focus(String id) {
    Control c = widget(id);
    waitFor("focus in " + id, () -> ui(() -> {
      Shell s = c.getShell();
      if (display().getActiveShell() != s) {
        s.forceActive();
      }
      c.forceFocus();
      return display().getFocusControl() == c && display().getActiveShell() == s;
    }));
  }

  /** Types into the field with the focus and waits until the field shows it. */
  void typeInto(String id, String text) {
    focus(id);
    Text t = widget(id);
    type(text);
    // keys posted earlier may still be on their way (an Escape that clears): compare the end only
    waitFor("\"" + text.replace('\u001D', '|') + "\" typed into " + id, () -> ui(() -> t.getText().endsWith(text)));
  }

  /** Replaces the field's content by typing (selects all first). */
  void retype(String id, String text) {
    focus(id);
    Text t = widget(id);
    run(() -> t.setText(""));
    typeInto(id, text);
  }

  /** Types characters through the X server; the group separator goes as Ctrl+], as a scanner sends it. */
  void type(String text) {
    for (char ch : text.toCharArray()) {
      if (ch == '\u001D') {
        keys(SWT.CTRL, ']');
      } else if (SHIFTED.indexOf(ch) >= 0) {
        post(SWT.KeyDown, SWT.SHIFT, '\0');
        post(SWT.KeyDown, 0, ch);
        post(SWT.KeyUp, 0, ch);
        post(SWT.KeyUp, SWT.SHIFT, '\0');
      } else {
        post(SWT.KeyDown, 0, ch);
        post(SWT.KeyUp, 0, ch);
      }
    }
  }

  /** A key (SWT.F12, SWT.CR, SWT.ESC, SWT.DEL, ...) pressed and released. */
  void key(int keyCode) {
    post(SWT.KeyDown, keyCode, '\0');
    post(SWT.KeyUp, keyCode, '\0');
  }

  /** A modifier held while a key is pressed: keys(SWT.CTRL, 'z'). */
  void keys(int modifier, int keyCode) {
    post(SWT.KeyDown, modifier, '\0');
    if (keyCode < 0x10000 && keyCode >= 32) {
      post(SWT.KeyDown, 0, (char) keyCode);
      post(SWT.KeyUp, 0, (char) keyCode);
    } else {
      post(SWT.KeyDown, keyCode, '\0');
      post(SWT.KeyUp, keyCode, '\0');
    }
    post(SWT.KeyUp, modifier, '\0');
  }

  private void post(int type, int keyCode, char character) {
    Event e = new Event();
    e.type = type;
    e.keyCode = keyCode;
    e.character = character;
    boolean posted = ui(() -> display().post(e));
    assertTrue(posted, "the X server took the key event");
  }

  /** Clicks the middle of a control with the mouse, through the X server. */
  void click(String id) {
    Control c = widget(id);
    focus(id);
    Point p = ui(() -> {
      Rectangle b = c.getBounds();
      return c.getParent().toDisplay(b.x + b.width / 2, b.y + b.height / 2);
    });
    mouse(SWT.MouseMove, p, 0);
    // GTK takes a press for the widget under the pointer it knows of: let the move arrive first
    waitFor("pointer over " + id, () -> ui(() -> display().getCursorControl() == c));
    mouse(SWT.MouseDown, p, 1);
    mouse(SWT.MouseUp, p, 1);
  }

  private void mouse(int type, Point p, int button) {
    Event e = new Event();
    e.type = type;
    e.x = p.x;
    e.y = p.y;
    e.button = button;
    assertTrue(ui(() -> display().post(e)), "the X server took the mouse event");
  }

  // ---- pictures ----

  /**
   * Saves the workbench window (with any dialog over it) as PNG: under docs/screenshots when the system property
   * {@code apotheca.screenshots.docs} names that folder, else under target/screenshots.
   */
  Path screenshot(String name) {
    String docs = System.getProperty("apotheca.screenshots.docs");
    return screenshot(docs != null && !docs.isBlank() && !"null".equals(docs) ? Path.of(docs) : targetFolder(), name);
  }

  /** Pictures of failures stay out of the user guide. */
  Path failureScreenshot(String name) {
    return screenshot(targetFolder(), name);
  }

  private static Path targetFolder() {
    return Path.of(System.getProperty("apotheca.screenshots", "target/screenshots"));
  }

  private Path screenshot(Path dir, String name) {
    Path file = dir.resolve(name);
    try {
      Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    try {
      // GTK paints on its frame clock, after the events that changed the widgets: give it a few frames. This only
      // makes the picture current; no assertion waits on it.
      Thread.sleep(300);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    run(() -> {
      Display d = display();
      for (int round = 0; round < 3; round++) {
        while (d.readAndDispatch()) {
          // layouts and text changes queued so far
        }
        for (Shell s : d.getShells()) {
          s.update(); // paint what they left pending before copying the screen
        }
      }
      Shell shell = PlatformUI.getWorkbench().getActiveWorkbenchWindow() != null
          ? PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell() : PlatformUI.getWorkbench().getWorkbenchWindows()[0].getShell();
      // The client area, not getBounds(): without a window manager the trim SWT reports is not on screen.
      Rectangle area = d.map(shell, null, shell.getClientArea());
      Image image = new Image(d, area.width, area.height);
      GC gc = new GC(d);
      try {
        gc.copyArea(image, area.x, area.y);
        ImageLoader loader = new ImageLoader();
        loader.data = new ImageData[] { image.getImageData() };
        loader.save(file.toString(), SWT.IMAGE_PNG);
      } finally {
        gc.dispose();
        image.dispose();
      }
    });
    return file;
  }
}
