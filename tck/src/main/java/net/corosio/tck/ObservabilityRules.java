package net.corosio.tck;

/** The rules of SPEC.md section 10 observability. */
public abstract class ObservabilityRules extends RuleGroup {

    /**
     * Binds the group to its kit.
     *
     * @param owner the backend's kit
     */
    protected ObservabilityRules(TransportKit owner) {
        super(owner);
    }
}
