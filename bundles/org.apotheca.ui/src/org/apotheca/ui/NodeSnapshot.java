package org.apotheca.ui;

import org.apotheca.node.api.NodeState;

/**
 * The node's state as last polled, or why there is none.
 *
 * @param state null when the node is not open or did not answer
 * @param problem the sentence for that case (starting, failed, unreachable), else null
 */
public record NodeSnapshot(NodeState state, String problem, boolean local, long takenAt) {

  public boolean canSell() {
    return problem == null && state != null && state.canSell();
  }
}
