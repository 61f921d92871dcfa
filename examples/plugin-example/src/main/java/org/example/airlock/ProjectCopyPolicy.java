package org.example.airlock;

import io.airlock.spi.Content;
import io.airlock.spi.copy.CopyPair;
import io.airlock.spi.copy.CopyPlan;
import io.airlock.spi.copy.CopyPolicy;
import io.airlock.spi.copy.CopyProblem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Copying a project brings its distributions of the source version (children). The other way
 * round needs no rule: a distribution's project comes along by itself, as a referenced unit.
 */
final class ProjectCopyPolicy implements CopyPolicy {

    @Override
    public CopyPlan plan(CopyProblem problem) {
        List<CopyPlan.Addition> additions = new ArrayList<>();
        for (CopyPair pair : problem.pairs()) {
            Map<UUID, String> projects = new HashMap<>();
            for (Content unit : pair.selected()) {
                if (unit instanceof Project project) {
                    projects.put(project.id(), Project.TYPE + ":" + project.label());
                }
            }
            if (projects.isEmpty()) {
                continue;
            }
            // project().id() reads the lazy reference's id without loading the project.
            pair.source().scan(Distribution.class, 500, batch -> batch.stream()
                    .filter(d -> projects.containsKey(d.project().id()))
                    .forEach(d -> additions.add(new CopyPlan.Addition(pair.index(), d,
                            CopyPlan.Reason.childOf(projects.get(d.project().id()))))));
        }
        return new CopyPlan(additions, List.of());
    }
}
