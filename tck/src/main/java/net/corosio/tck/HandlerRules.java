package net.corosio.tck;

/** The rules of SPEC.md section 9 handlers and threading. */
public abstract class HandlerRules extends RuleGroup {

    /**
     * Binds the group to its kit.
     *
     * @param owner the backend's kit
     */
    protected HandlerRules(TransportKit owner) {
        super(owner);
    }
}
