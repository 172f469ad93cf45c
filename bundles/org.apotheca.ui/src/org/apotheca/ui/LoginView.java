package org.apotheca.ui;

import java.util.Arrays;

import org.apotheca.node.api.Session;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.resource.FontDescriptor;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.jface.resource.LocalResourceManager;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.ProgressBar;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.part.ViewPart;

/**
 * The login screen the window opens on, and comes back to when the till locks. The password check runs off the UI
 * thread (the node's slow hash takes about a second); a refusal is shown here in one sentence, never in a dialog.
 */
public class LoginView extends ViewPart {

  public static final String ID = "org.apotheca.ui.login.view";

  private LocalResourceManager resources;
  private Text user;
  private Text password;
  private Button login;
  private Label message;
  private Label busyText;
  private ProgressBar busy;
  private Label node;
  private boolean checking;

  /** Why the screen is showing (locked, logged out): kept here so it reaches the view whenever the view is made. */
  private static String note = "";
  private static LoginView current;

  @Override
  public void createPartControl(Composite parent) {
    resources = new LocalResourceManager(JFaceResources.getResources(), parent);
    Font base = JFaceResources.getDefaultFont();
    Font big = resources.create(FontDescriptor.createFrom(base).setHeight(base.getFontData()[0].getHeight() + 3));
    Font title = resources.create(FontDescriptor.createFrom(base).setHeight(30).setStyle(SWT.BOLD));
    Palette palette = Palette.get(parent.getDisplay());

    parent.setLayout(GridLayoutFactory.fillDefaults().create());
    parent.setBackground(parent.getDisplay().getSystemColor(SWT.COLOR_WIDGET_BACKGROUND));
    Composite panel = new Composite(parent, SWT.NONE);
    GridDataFactory.swtDefaults().align(SWT.CENTER, SWT.CENTER).grab(true, true).applyTo(panel);
    GridLayoutFactory.swtDefaults().numColumns(2).spacing(12, 10).margins(30, 24).applyTo(panel);

    Label name = Ids.id(new Label(panel, SWT.NONE), "login.title");
    name.setText("Apotheca");
    name.setFont(title);
    GridDataFactory.swtDefaults().span(2, 1).applyTo(name);
    node = Ids.id(new Label(panel, SWT.WRAP), "login.node");
    node.setForeground(palette.muted());
    GridDataFactory.fillDefaults().span(2, 1).hint(420, SWT.DEFAULT).applyTo(node);

    label(panel, "&User name", big);
    user = Ids.id(new Text(panel, SWT.BORDER | SWT.SINGLE), "login.user");
    user.setFont(big);
    GridDataFactory.fillDefaults().hint(280, SWT.DEFAULT).applyTo(user);
    label(panel, "&Password", big);
    password = Ids.id(new Text(panel, SWT.BORDER | SWT.SINGLE | SWT.PASSWORD), "login.password");
    password.setFont(big);
    GridDataFactory.fillDefaults().hint(280, SWT.DEFAULT).applyTo(password);

    new Label(panel, SWT.NONE);
    login = Ids.id(new Button(panel, SWT.PUSH), "login.button");
    login.setText("&Log in");
    login.setFont(big);
    GridDataFactory.swtDefaults().align(SWT.FILL, SWT.CENTER).applyTo(login);
    login.addListener(SWT.Selection, e -> submit());
    // Enter in either field logs in: a default button is a shell's, and this shell is the workbench window's.
    user.addListener(SWT.DefaultSelection, e -> {
      if (user.getText().isBlank()) {
        return;
      }
      if (password.getText().isEmpty()) {
        password.setFocus();
      } else {
        submit();
      }
    });
    password.addListener(SWT.DefaultSelection, e -> submit());

    new Label(panel, SWT.NONE);
    Composite busyRow = new Composite(panel, SWT.NONE);
    GridLayoutFactory.fillDefaults().numColumns(2).applyTo(busyRow);
    GridDataFactory.fillDefaults().applyTo(busyRow);
    busy = new ProgressBar(busyRow, SWT.INDETERMINATE);
    GridDataFactory.swtDefaults().hint(60, 12).applyTo(busy);
    busyText = Ids.id(new Label(busyRow, SWT.NONE), "login.busy");
    busyText.setText("Checking your password...");
    showChecking(false);

    message = Ids.id(new Label(panel, SWT.WRAP), "login.message");
    message.setFont(big);
    message.setForeground(palette.danger());
    GridDataFactory.fillDefaults().span(2, 1).hint(420, SWT.DEFAULT).applyTo(message);

    Label help = new Label(panel, SWT.WRAP);
    help.setText("Enter logs in. The till locks itself after " + IdleLock.describe(IdleLock.seconds())
        + " without input; Ctrl+L locks it at once.");
    help.setForeground(palette.muted());
    GridDataFactory.fillDefaults().span(2, 1).hint(420, SWT.DEFAULT).applyTo(help);

    current = this;
    say(note, false);
    showNode();
    java.util.function.Consumer<NodeSnapshot> onState = s -> showNode();
    NodeStatus.get().addListener(onState);
    parent.addDisposeListener(e -> NodeStatus.get().removeListener(onState));
  }

  private void showNode() {
    if (node.isDisposed()) {
      return;
    }
    Node n = Node.get();
    NodeSnapshot s = NodeStatus.get().current();
    String text = "Till " + n.tillId() + " \u00b7 " + StatusTexts.connection(s, n.choice().where());
    if (!text.equals(node.getText())) {
      node.setText(text);
      node.getShell().layout(new org.eclipse.swt.widgets.Control[] { node });
    }
  }

  private static void label(Composite parent, String text, Font font) {
    Label l = new Label(parent, SWT.NONE);
    l.setText(text);
    l.setFont(font);
  }

  private void submit() {
    if (checking) {
      return;
    }
    String name = user.getText().trim();
    char[] secret = password.getTextChars();
    password.setText("");
    if (name.isEmpty()) {
      say("Enter your user name.", true);
      user.setFocus();
      return;
    }
    checking = true;
    message.setText("");
    showChecking(true);
    Node node = Node.get();
    String till = node.tillId();
    Async.call(password, () -> {
      try {
        return node.service().login(till, name, secret);
      } finally {
        Arrays.fill(secret, '\0');
      }
    }, this::loggedIn, e -> {
      checking = false;
      showChecking(false);
      say(e.getMessage(), true);
      message.getParent().layout(true);
      password.setFocus();
    });
  }

  private void loggedIn(Session session) {
    note = "";
    checking = false;
    showChecking(false);
    message.setText("");
    Node.get().setSession(session);
    Screens.showTill();
  }

  /** Refusals in red; why the screen shows (locked, logged out) in the normal colour: nothing went wrong. */
  private void say(String text, boolean refusal) {
    message.setText(text);
    message.setForeground(refusal ? Palette.get(message.getDisplay()).danger()
        : message.getDisplay().getSystemColor(SWT.COLOR_WIDGET_FOREGROUND));
  }

  private void showChecking(boolean on) {
    busy.setVisible(on);
    busyText.setVisible(on);
    user.setEnabled(!on);
    password.setEnabled(!on);
    login.setEnabled(!on);
  }

  /** Shows {@code text} (why the till locked) on the login screen, now or when it is next made. UI thread. */
  static void note(String text) {
    note = text == null ? "" : text;
    if (current != null) {
      current.reset(note);
    }
  }

  /** Back to an empty form with {@code text}, the user name kept for a quick return. */
  private void reset(String text) {
    if (message.isDisposed()) {
      return;
    }
    say(text, false);
    password.setText("");
    message.getParent().layout(true);
    (user.getText().isBlank() ? user : password).setFocus();
  }

  @Override
  public void dispose() {
    if (current == this) {
      current = null;
    }
    super.dispose();
  }

  @Override
  public void setFocus() {
    (user.getText().isBlank() ? user : password).setFocus();
  }
}
