package net.corosio.tck;

/** The rules of SPEC.md section 5 close, abort and reset. */
public abstract class CloseRules extends RuleGroup {

    /**
     * Binds the group to its kit.
     *
     * @param owner the backend's kit
     */
    protected CloseRules(TransportKit owner) {
        super(owner);
    }
}
