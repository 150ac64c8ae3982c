package io.starling.controlplane.rollout;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** How a wave chose its agents, as asked: a percent, selectors, or nothing (the last wave: the rest). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WaveSelector(Integer percent, List<String> sites, List<String> labels, List<String> agentIds) {

    static WaveSelector of(RolloutRequest.WaveRequest w) {
        return new WaveSelector(w.percent(), w.sites(), w.labels(), w.agentIds());
    }
}
