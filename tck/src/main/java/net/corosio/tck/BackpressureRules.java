package net.corosio.tck;

/** The rules of SPEC.md section 6 backpressure. */
public abstract class BackpressureRules extends RuleGroup {

    /**
     * Binds the group to its kit.
     *
     * @param owner the backend's kit
     */
    protected BackpressureRules(TransportKit owner) {
        super(owner);
    }
}
