package net.corosio.tck;

/** The rules of SPEC.md section 7 timeouts and cancellation. */
public abstract class TimeoutRules extends RuleGroup {

    /**
     * Binds the group to its kit.
     *
     * @param owner the backend's kit
     */
    protected TimeoutRules(TransportKit owner) {
        super(owner);
    }
}
