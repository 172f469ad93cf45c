package org.apotheca.ui;

import java.util.function.Consumer;

import org.apotheca.node.api.NodeState.Connection;
import org.eclipse.jface.action.ContributionItem;
import org.eclipse.jface.action.StatusLineLayoutData;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.CLabel;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;

/**
 * The node's state in the workbench status line: connection (coloured), sales waiting for central, last contact,
 * catalogue age. Each piece has a stable id ({@code status.connection}, ...). Who is logged in is at the top of the
 * till, so the line keeps its width for the sentences that matter when central is away.
 */
public final class NodeStatusItem extends ContributionItem {

  private Composite box;
  private CLabel connection;
  private Label pending;
  private Label contact;
  private static final String SEPARATOR = "apotheca.separator";
  private Label catalogue;
  private Label notice;
  private final Consumer<NodeSnapshot> onState = this::show;
  private org.eclipse.swt.widgets.Display display;
  private final Consumer<String> onNotice = t -> {
    if (display != null && !display.isDisposed()) {
      display.asyncExec(() -> show(NodeStatus.get().current()));
    }
  };

  public NodeStatusItem() {
    super("org.apotheca.ui.status");
  }

  @Override
  public void fill(Composite parent) {
    box = new Composite(parent, SWT.NONE);
    display = box.getDisplay();
    GridLayout layout = new GridLayout(9, false);
    layout.marginHeight = 1;
    layout.marginWidth = 4;
    layout.horizontalSpacing = 6;
    box.setLayout(layout);
    connection = Ids.id(new CLabel(box, SWT.NONE), "status.connection");
    connection.setMargins(6, 1, 6, 1);
    pending = piece("status.pending");
    contact = piece("status.contact");
    catalogue = piece("status.catalogue");
    notice = piece("status.notice"); // what other bundles announce (Notices)
    // The connection reads first; the details a size smaller, so the offline sentences fit a till's screen.
    org.eclipse.jface.resource.LocalResourceManager resources = new org.eclipse.jface.resource.LocalResourceManager(
        org.eclipse.jface.resource.JFaceResources.getResources(), box);
    org.eclipse.swt.graphics.Font base = connection.getFont();
    org.eclipse.swt.graphics.Font small = resources.create(org.eclipse.jface.resource.FontDescriptor.createFrom(base)
        .setHeight(Math.max(8, base.getFontData()[0].getHeight() - 1)));
    for (Label l : new Label[] { pending, contact, catalogue, notice }) {
      l.setFont(small);
    }
    StatusLineLayoutData data = new StatusLineLayoutData();
    data.widthHint = SWT.DEFAULT;
    box.setLayoutData(data);
    // The line's own message area is never used here; left at its default it keeps a share of the width that the
    // offline sentences need.
    for (org.eclipse.swt.widgets.Control c : parent.getChildren()) {
      if (c instanceof CLabel && c != connection) {
        StatusLineLayoutData narrow = c.getLayoutData() instanceof StatusLineLayoutData d ? d : new StatusLineLayoutData();
        narrow.widthHint = 1;
        c.setLayoutData(narrow);
      }
    }
    NodeStatus.get().addListener(onState);
    Notices.get().addListener(onNotice);
    box.addDisposeListener(e -> {
      NodeStatus.get().removeListener(onState);
      Notices.get().removeListener(onNotice);
    });
    show(NodeStatus.get().current());
  }

  /** A detail with nothing to say is left out together with the separator before it. */
  private static boolean showIfSet(Label piece) {
    boolean shown = !piece.getText().isEmpty();
    if (piece.getVisible() == shown) {
      return false;
    }
    Label separator = (Label) piece.getData(SEPARATOR);
    for (Label l : new Label[] { piece, separator }) {
      l.setVisible(shown);
      ((GridData) l.getLayoutData()).exclude = !shown;
    }
    return true;
  }

  private Label piece(String id) {
    Label separator = separator();
    Label l = Ids.id(new Label(box, SWT.NONE), id);
    l.setLayoutData(new GridData());
    l.setData(SEPARATOR, separator);
    return l;
  }

  private Label separator() {
    Label s = new Label(box, SWT.SEPARATOR | SWT.VERTICAL);
    GridData d = new GridData(SWT.CENTER, SWT.FILL, false, false);
    d.heightHint = 16;
    s.setLayoutData(d);
    return s;
  }

  private void show(NodeSnapshot s) {
    if (box == null || box.isDisposed()) {
      return;
    }
    String where = Node.get().choice().where();
    boolean changed = set(connection, StatusTexts.connection(s, where));
    changed |= set(pending, StatusTexts.pending(s));
    changed |= set(contact, StatusTexts.contact(s));
    changed |= set(catalogue, StatusTexts.catalogue(s));
    changed |= set(notice, Notices.get().current());
    for (Label piece : new Label[] { pending, contact, catalogue, notice }) {
      changed |= showIfSet(piece);
    }
    Connection c = s.state() == null ? null : s.state().connection();
    connection.setBackground(colour(s, c));
    connection.setForeground(box.getDisplay().getSystemColor(c == Connection.ONLINE || c == Connection.CATCHING_UP
        ? SWT.COLOR_BLACK : SWT.COLOR_WHITE));
    if (changed) {
      relayout();
    }
  }

  private Color colour(NodeSnapshot s, Connection c) {
    if (!s.canSell()) {
      return Palette.get(box.getDisplay()).danger();
    }
    return switch (c) {
      case ONLINE -> Palette.get(box.getDisplay()).ok();
      case CATCHING_UP -> Palette.get(box.getDisplay()).warn();
      default -> Palette.get(box.getDisplay()).caution();
    };
  }

  private static boolean set(org.eclipse.swt.widgets.Control label, String text) {
    String old = label instanceof CLabel c ? c.getText() : ((Label) label).getText();
    if (text.equals(old)) {
      return false;
    }
    if (label instanceof CLabel c) {
      c.setText(text);
    } else {
      ((Label) label).setText(text);
    }
    return true;
  }

  /**
   * From the labels up to the window: each layout on the way caches the size of what it holds (the labels' in this
   * item, this item's in the status line, the line's in the trim), and longer sentences need more.
   */
  private void relayout() {
    box.getShell().layout(new org.eclipse.swt.widgets.Control[] { connection, pending, contact, catalogue, notice });
  }
}
