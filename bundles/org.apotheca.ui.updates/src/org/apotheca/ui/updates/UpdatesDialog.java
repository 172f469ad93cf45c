package org.apotheca.ui.updates;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

import org.apotheca.ui.Ids;
import org.apotheca.ui.till.OpenSale;
import org.apotheca.ui.till.TillDialog;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.equinox.p2.engine.IProfile;
import org.eclipse.equinox.p2.metadata.IInstallableUnit;
import org.eclipse.equinox.p2.operations.UpdateOperation;
import org.eclipse.equinox.p2.query.QueryUtil;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;

/**
 * The admin's Updates window: what is installed, the update site this workbench uses, what the last check found, and
 * p2's own wizards to update or to install an optional plugin. Both refuse while this till has a sale open; p2 then
 * asks for the restart (now or later) and never forces it.
 */
final class UpdatesDialog extends TillDialog {

  static final int CHECK = IDialogConstants.CLIENT_ID + 1;
  static final int INSTALL = IDialogConstants.CLIENT_ID + 2;
  static final int RESTART = IDialogConstants.CLIENT_ID + 3;

  private Label installed;
  private Label site;
  private Label lastCheck;
  private boolean busy;
  private final Consumer<Updates.Check> onCheck = c -> {
    Shell s = getShell();
    if (s != null && !s.isDisposed()) {
      s.getDisplay().asyncExec(this::showLastCheck);
    }
  };

  UpdatesDialog(Shell parent) {
    super(parent, "Updates", "updates");
  }

  @Override
  protected Control createDialogArea(Composite parent) {
    Composite area = (Composite) super.createDialogArea(parent);
    GridLayoutFactory.fillDefaults().numColumns(2).margins(16, 12).spacing(14, 10).applyTo(area);
    heading(area, 2, "Updates and optional plugins");
    installed = row(area, "Installed", "updates.installed");
    site = row(area, "Update site", "updates.site");
    lastCheck = row(area, "Last check", "updates.last");
    message(area, 2);
    showInstalled();
    showSite();
    showLastCheck();
    if (Updates.get().restartPending()) {
      info("Installed software waits for a restart: Restart now, or it runs from the workbench's next start.");
    }
    Updates.get().addListener(onCheck);
    area.addDisposeListener(e -> Updates.get().removeListener(onCheck));
    return area;
  }

  private Label row(Composite area, String name, String rowId) {
    Label l = label(area, name);
    l.setFont(bold);
    GridDataFactory.fillDefaults().align(SWT.BEGINNING, SWT.BEGINNING).applyTo(l);
    Label v = Ids.id(new Label(area, SWT.WRAP), rowId);
    v.setFont(big);
    GridDataFactory.fillDefaults().grab(true, false).hint(560, SWT.DEFAULT).applyTo(v);
    return v;
  }

  @Override
  protected void createButtonsForButtonBar(Composite parent) {
    Ids.id(createButton(parent, CHECK, "&Check for updates", true), "updates.check");
    Ids.id(createButton(parent, INSTALL, "&Install new software\u2026", false), "updates.install");
    if (Updates.get().restartPending()) {
      // the admin said "not now" to p2's question: the way to restart when the shop is quiet
      Ids.id(createButton(parent, RESTART, "&Restart now", false), "updates.restart");
    }
    Ids.id(createButton(parent, IDialogConstants.CANCEL_ID, "Close", false), "updates.close");
  }

  @Override
  protected void buttonPressed(int buttonId) {
    if (buttonId == CHECK) {
      checkForUpdates();
    } else if (buttonId == INSTALL) {
      installNewSoftware();
    } else if (buttonId == RESTART) {
      if (!refused()) {
        org.eclipse.ui.PlatformUI.getWorkbench().restart();
      }
    } else {
      super.buttonPressed(buttonId);
    }
  }

  /** The features installed as roots of this workbench's profile, e.g. "Apotheca Workbench 1.0.0.202612010705". */
  private void showInstalled() {
    IProfile profile = Updates.get().profile();
    if (profile == null) {
      installed.setText("Apotheca " + Platform.getBundle("org.apotheca.ui").getVersion()
          + " \u2014 not installed from an update site (a development or test run)");
      return;
    }
    List<String> roots = new ArrayList<>();
    List<IInstallableUnit> ius = new ArrayList<>(profile.query(QueryUtil.createIUGroupQuery(), null).toUnmodifiableSet());
    ius.sort(Comparator.comparing(IInstallableUnit::getId));
    for (IInstallableUnit iu : ius) {
      // the product's own unit repeats the workbench feature's name and version: the features say it all
      if ("true".equals(profile.getInstallableUnitProperty(iu, IProfile.PROP_PROFILE_ROOT_IU))
          && !"true".equals(iu.getProperty("org.eclipse.equinox.p2.type.product"))) {
        roots.add(iu.getProperty(IInstallableUnit.PROP_NAME, null) + " " + iu.getVersion());
      }
    }
    installed.setText(roots.isEmpty() ? "nothing listed in this installation's profile" : String.join("\n", roots));
  }

  private void showSite() {
    UpdateSettings s = UpdateSettings.load();
    if (s.problem() != null) {
      site.setText("not usable");
      error(s.problem());
    } else if (s.repository() == null) {
      Object file = UpdateSettings.file();
      site.setText("none set \u2014 put repository=<address> in " + (file == null ? UpdateSettings.FILE : file));
    } else {
      site.setText(s.repository() + "\n(from " + s.source() + (s.checkHours() > 0
          ? "; checked every " + s.checkHours() + (s.checkHours() == 1 ? " hour" : " hours") + ")" : "; no background check)"));
    }
  }

  private void showLastCheck() {
    if (lastCheck == null || lastCheck.isDisposed()) {
      return;
    }
    Updates.Check c = Updates.get().last();
    lastCheck.setText(c == null ? "not yet since the workbench started" : Updates.at(c) + " \u2014 " + c.text());
    fit();
  }

  private static long stateOfProfile() {
    IProfile p = Updates.get().profile();
    return p == null ? 0 : p.getTimestamp();
  }

  /**
   * p2 installs after its wizard has closed, in a job of its own: once that is done, the window shows what is
   * installed now and the status line's announcement is checked again (an installed update is no longer news).
   */
  private void afterWizard(long before) {
    if (!Updates.get().ui().hasScheduledOperations()) {
      return; // the wizard was cancelled
    }
    busy = true;
    info("Installing \u2026");
    Shell shell = getShell();
    Job job = new Job("After installing Apotheca software") {
      @Override
      protected IStatus run(IProgressMonitor monitor) {
        while (Updates.get().ui().hasScheduledOperations() && !monitor.isCanceled()) {
          try {
            Thread.sleep(250);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Status.CANCEL_STATUS;
          }
        }
        boolean changed = stateOfProfile() != before;
        if (changed) {
          Updates.get().check(monitor);
        }
        if (!shell.isDisposed()) {
          shell.getDisplay().asyncExec(() -> installed(changed));
        }
        return Status.OK_STATUS;
      }
    };
    job.setSystem(true);
    job.schedule();
  }

  private void installed(boolean changed) {
    busy = false;
    if (getShell() == null || getShell().isDisposed()) {
      return;
    }
    showInstalled();
    if (changed) {
      Updates.get().restartPending(true);
      info("Installed. The workbench runs the new software from its next start.");
    } else {
      error("Nothing was installed: p2 said why in its own message.");
    }
  }

  /** True (after saying why in the window) when nothing may be installed now. */
  private boolean refused() {
    if (OpenSale.inProgress()) {
      error("A sale is open on this till: finish or clear it first. Nothing was checked, installed or restarted.");
      return true;
    }
    if (busy) {
      info("Still busy with the last step: wait for its answer.");
      return true;
    }
    return false;
  }

  private void checkForUpdates() {
    if (refused()) {
      return;
    }
    UpdateSettings s = UpdateSettings.load();
    if (s.problem() != null) {
      error(s.problem());
      return;
    }
    if (s.repository() == null) {
      error("No update site is set: deploy configuration/" + UpdateSettings.FILE + " with repository=<address>.");
      return;
    }
    busy = true;
    info("Checking " + s.repository() + " \u2026");
    Shell shell = getShell();
    Job job = new Job("Checking for Apotheca updates") {
      @Override
      protected IStatus run(IProgressMonitor monitor) {
        Updates.Check c = Updates.get().check(monitor);
        UpdateOperation op = c.updates() > 0 ? Updates.get().updateOperation(s.repository()) : null;
        if (op != null) {
          op.resolveModal(monitor); // the wizard shows this resolution: resolved here, off the UI thread
        }
        shell.getDisplay().asyncExec(() -> checked(c, op));
        return Status.OK_STATUS;
      }
    };
    job.setSystem(true);
    job.schedule();
  }

  private void checked(Updates.Check c, UpdateOperation op) {
    busy = false;
    if (getShell() == null || getShell().isDisposed()) {
      return;
    }
    showLastCheck();
    if (c.failed()) {
      error(c.text());
    } else if (op == null) {
      info(c.text());
    } else if (OpenSale.inProgress()) {
      error("A sale is open on this till: finish or clear it first. Nothing was installed.");
    } else {
      info(c.text() + " Choose what to install; you are asked before the workbench restarts.");
      long before = stateOfProfile();
      Updates.get().ui().openUpdateWizard(false, op, null);
      afterWizard(before);
    }
  }

  private void installNewSoftware() {
    if (refused()) {
      return;
    }
    UpdateSettings s = UpdateSettings.load();
    if (s.problem() != null) {
      error(s.problem());
      return;
    }
    URI uri = Updates.get().register(s);
    if (uri == null) {
      error("No update site is set: deploy configuration/" + UpdateSettings.FILE + " with repository=<address>.");
      return;
    }
    info("Installing from " + uri + ": optional plugins are in the category \"Optional plugins\".");
    long before = stateOfProfile();
    Updates.get().ui().openInstallWizard(null, null, null);
    afterWizard(before);
  }
}
