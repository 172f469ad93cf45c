package org.apotheca.ui.updates;

import java.net.URI;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.apotheca.ui.Notices;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.equinox.p2.core.IProvisioningAgent;
import org.eclipse.equinox.p2.engine.IProfile;
import org.eclipse.equinox.p2.engine.IProfileRegistry;
import org.eclipse.equinox.p2.engine.ProvisioningContext;
import org.eclipse.equinox.p2.operations.ProvisioningSession;
import org.eclipse.equinox.p2.operations.Update;
import org.eclipse.equinox.p2.operations.UpdateOperation;
import org.eclipse.equinox.p2.repository.IRepository;
import org.eclipse.equinox.p2.repository.IRepositoryManager;
import org.eclipse.equinox.p2.repository.artifact.IArtifactRepositoryManager;
import org.eclipse.equinox.p2.repository.metadata.IMetadataRepositoryManager;
import org.eclipse.equinox.p2.ui.Policy;
import org.eclipse.equinox.p2.ui.ProvisioningUI;

/**
 * This workbench's link to p2: the configured update site known to p2's repository managers (so "Install new
 * software" lists it), the check for updates (never installing anything) and its last answer, which the status line
 * announces to everyone and the Updates window shows the admin.
 */
public final class Updates {

  /** The status line's notice key (org.apotheca.ui.Notices). */
  static final String NOTICE = "org.apotheca.ui.updates";
  static final String NICKNAME = "Apotheca update site";
  private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

  /** What the last check found; {@code updates} > 0 only when p2 resolved an update against the site. */
  public record Check(String text, int updates, boolean failed, LocalTime at) {
  }

  private static final Updates INSTANCE = new Updates();

  private final List<Consumer<Check>> listeners = new CopyOnWriteArrayList<>();
  private volatile Check last;
  private volatile URI registered;
  private volatile boolean restartPending;
  private ProvisioningUI ui;

  private Updates() {
  }

  public static Updates get() {
    return INSTANCE;
  }

  public Check last() {
    return last;
  }

  /** True once this workbench installed something that runs only after a restart. */
  public boolean restartPending() {
    return restartPending;
  }

  void restartPending(boolean pending) {
    restartPending = pending;
  }

  public void addListener(Consumer<Check> l) {
    listeners.add(l);
  }

  public void removeListener(Consumer<Check> l) {
    listeners.remove(l);
  }

  /**
   * p2's UI for this workbench: the running profile, the restart asked for (now or later), no list of sites to edit
   * (the site is the one the admin deployed), the newest version of each feature, grouped by category.
   */
  public synchronized ProvisioningUI ui() {
    if (ui == null) {
      ProvisioningUI defaults = ProvisioningUI.getDefaultUI();
      Policy policy = new Policy();
      policy.setRestartPolicy(Policy.RESTART_POLICY_PROMPT);
      policy.setRepositoriesVisible(false);
      policy.setShowLatestVersionsOnly(true);
      policy.setGroupByCategory(true);
      policy.setShowDrilldownRequirements(false);
      policy.setUpdateWizardStyle(Policy.UPDATE_STYLE_MULTIPLE_IUS);
      ui = new ProvisioningUI(defaults.getSession(), defaults.getProfileId(), policy);
    }
    return ui;
  }

  IProvisioningAgent agent() {
    return ui().getSession().getProvisioningAgent();
  }

  /** The profile this workbench runs from, or null when it was not installed by p2 (a development or test run). */
  public IProfile profile() {
    IProfileRegistry registry = agent().getService(IProfileRegistry.class);
    return registry == null ? null : registry.getProfile(ui().getProfileId());
  }

  /**
   * Makes the configured site known to p2's metadata and artifact repository managers (enabled, named), and the
   * previously configured one forgotten when the admin changed the file. Returns the site, or null when none is set.
   */
  public synchronized URI register(UpdateSettings s) {
    URI site = s.repository();
    IMetadataRepositoryManager metadata = agent().getService(IMetadataRepositoryManager.class);
    IArtifactRepositoryManager artifacts = agent().getService(IArtifactRepositoryManager.class);
    if (registered != null && !registered.equals(site)) {
      metadata.removeRepository(registered);
      artifacts.removeRepository(registered);
    }
    if (site != null) {
      for (IRepositoryManager<?> m : List.<IRepositoryManager<?>>of(metadata, artifacts)) {
        m.addRepository(site);
        m.setEnabled(site, true);
        m.setRepositoryProperty(site, IRepository.PROP_NICKNAME, NICKNAME);
      }
    }
    registered = site;
    return site;
  }

  /**
   * Asks the site whether there is anything newer than what runs here; installs nothing. Slow (reads the site):
   * never on the UI thread.
   */
  public Check check(IProgressMonitor monitor) {
    Check c;
    try {
      c = resolve(monitor);
    } catch (RuntimeException e) {
      ILog.of(Updates.class).error("The update check failed", e);
      c = failed("The check for updates failed: the details are in the log.");
    }
    last = c;
    // short: the status line shares its width with the node's state, which matters more at the counter
    Notices.get().put(NOTICE, c.updates() > 0
        ? (c.updates() == 1 ? "1 update" : c.updates() + " updates") + " available (admin: Ctrl+U)" : null);
    for (Consumer<Check> l : listeners) {
      l.accept(c);
    }
    return c;
  }

  private Check resolve(IProgressMonitor monitor) {
    UpdateSettings s = UpdateSettings.load();
    if (s.problem() != null) {
      return failed(s.problem());
    }
    URI site = register(s);
    if (site == null) {
      return failed("No update site is set: deploy configuration/" + UpdateSettings.FILE + " (see the admin guide).");
    }
    if (profile() == null) {
      return failed("This workbench was not installed from an update site, so it cannot update itself.");
    }
    UpdateOperation op = updateOperation(site);
    IStatus status = op.resolveModal(monitor);
    if (status.getCode() == UpdateOperation.STATUS_NOTHING_TO_UPDATE) {
      return new Check("Up to date: the update site has nothing newer.", 0, false, LocalTime.now());
    }
    if (status.getSeverity() == IStatus.CANCEL) {
      return failed("The check was cancelled.");
    }
    if (status.getSeverity() == IStatus.ERROR) {
      return failed("The update site " + site + " could not be read or offers nothing that fits this workbench: "
          + firstLine(status) + ".");
    }
    Update[] updates = op.getPossibleUpdates();
    int n = updates.length;
    StringBuilder b = new StringBuilder(n == 1 ? "1 update available: " : n + " updates available: ");
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : ", ").append(updates[i].replacement.getId().replace(".feature.group", ""))
          .append(' ').append(updates[i].replacement.getVersion());
    }
    return new Check(b.append('.').toString(), Math.max(1, n), false, LocalTime.now());
  }

  /** An update of everything installed, against the configured site only. */
  UpdateOperation updateOperation(URI site) {
    UpdateOperation op = new UpdateOperation(ui().getSession());
    op.setProfileId(ui().getProfileId());
    ProvisioningContext context = new ProvisioningContext(agent());
    context.setMetadataRepositories(site);
    context.setArtifactRepositories(site);
    op.setProvisioningContext(context);
    return op;
  }

  private static Check failed(String text) {
    return new Check(text, 0, true, LocalTime.now());
  }

  static String at(Check c) {
    return c == null ? "" : c.at().format(HH_MM);
  }

  private static String firstLine(IStatus s) {
    IStatus leaf = s;
    while (leaf.isMultiStatus() && leaf.getChildren().length > 0 && (leaf.getMessage() == null || leaf.getMessage().isBlank())) {
      leaf = leaf.getChildren()[0];
    }
    String m = leaf.getMessage() == null ? "no details" : leaf.getMessage().strip();
    int nl = m.indexOf('\n');
    m = nl < 0 ? m : m.substring(0, nl);
    return m.endsWith(".") ? m.substring(0, m.length() - 1) : m;
  }
}
