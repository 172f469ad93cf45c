package org.apotheca.ui.updates;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.ui.IStartup;

/**
 * The background check: a low-priority system job that asks the update site every {@code check.hours} and leaves
 * the answer in the status line. It never downloads or installs anything, so it cannot disturb a sale; installing is
 * the admin's decision in the Updates window. Started for every role (the announcement is for everyone to see),
 * first a minute after the workbench opens so it does not compete with the node starting.
 */
public final class UpdateCheckJob extends Job implements IStartup {

  static final long FIRST_DELAY_MS = Long.getLong("apotheca.updates.firstCheckMs", 60_000L);

  public UpdateCheckJob() {
    super("Checking for Apotheca updates");
    setSystem(true);
    setPriority(DECORATE);
  }

  @Override
  public void earlyStartup() {
    schedule(FIRST_DELAY_MS);
  }

  @Override
  protected IStatus run(IProgressMonitor monitor) {
    UpdateSettings s = UpdateSettings.load();
    if (s.problem() == null && s.checkHours() == 0) {
      return Status.OK_STATUS; // the admin switched the background check off
    }
    if (s.repository() != null || s.problem() != null) {
      Updates.get().check(monitor);
    }
    if (!monitor.isCanceled()) {
      // without a site yet, look again later: the admin may deploy the file while the workbench runs
      schedule(Math.max(1, s.checkHours() == 0 ? UpdateSettings.DEFAULT_HOURS : s.checkHours()) * 3_600_000L);
    }
    return Status.OK_STATUS;
  }
}
