import pytest
import torch

from calibmodule.models import load_policy, load_tokenizer
from calibmodule.prompting import build_prompt
from calibmodule.logprobs import action_logprobs, completion_logprobs
from calibmodule.sampling import (ANSWER_TOKEN, CONF_TOKEN, FORCED, SamplerConfig, TokenSpec,
                                  sample_rollouts)


@pytest.fixture(scope="module")
def tiny(tiny_model_dir):
    tok = load_tokenizer(tiny_model_dir)
    model = load_policy(tiny_model_dir, lora=None).eval()
    return model, tok, TokenSpec.from_tokenizer(tok, model.config.vocab_size)


def _prompts(tok, mode="constrained"):
    return [build_prompt(tok, q, mode) for q in ["What is the capital of France?", "Name a country in Africa."]]


def test_constrained_rollouts_always_have_a_confidence(tiny):
    model, tok, spec = tiny
    torch.manual_seed(0)
    r = sample_rollouts(model, tok, spec, _prompts(tok), 4, SamplerConfig("constrained", 5))
    assert r.completion_ids.shape[0] == 8 and r.prompt_ids.shape[0] == 2
    assert torch.isfinite(r.confidences).all() and ((r.confidences > 0) & (r.confidences < 1)).all()
    assert ((r.kinds == CONF_TOKEN).sum(1) == 1).all()  # exactly one confidence action per rollout
    assert ((r.kinds == ANSWER_TOKEN).sum(1) <= 5).all()
    assert all("Confidence: " in t for t in r.texts)
    assert torch.allclose(r.conf_probs.sum(-1), torch.ones(8))
    # forced scaffold tokens are present but not actions
    scaffold_pos = (r.kinds == FORCED) & (r.completion_mask == 1)
    assert scaffold_pos.sum(1).min() >= len(spec.scaffold_ids)


def test_tags_mode_garbage_gives_nan_not_crash(tiny):
    model, tok, spec = tiny
    torch.manual_seed(0)
    r = sample_rollouts(model, tok, spec, _prompts(tok, "tags"), 2, SamplerConfig("tags", 6))
    assert r.confidences.shape == (4,)
    assert torch.isnan(r.confidences).all()  # a random model writes no tags
    assert r.conf_probs is None


def _full_sequence_logprobs(model, r, spec):
    """Reference: one plain forward over [prompt; completion] per rollout, no cache tricks."""
    n = r.n
    ids = torch.cat([r.prompt_ids.repeat_interleave(n, 0), r.completion_ids], 1)
    mask = torch.cat([r.prompt_mask.repeat_interleave(n, 0), r.completion_mask], 1)
    pos = (mask.cumsum(-1) - 1).clamp(min=0)
    logits = model(input_ids=ids, attention_mask=mask, position_ids=pos).logits
    P = r.prompt_ids.shape[1]
    return action_logprobs(logits[:, P - 1 : -1], r.completion_ids, r.kinds, spec, r.sampler)


@pytest.mark.parametrize("mode,temperature,conf_temperature", [
    ("constrained", 1.0, None), ("constrained", 0.3, 0.5), ("constrained", 0.3, 2.0), ("tags", 1.0, None),
    ("tags", 0.3, None)])
def test_completion_logprobs_are_the_samplers_distribution(tiny, mode, temperature, conf_temperature):
    """The training log-probs equal (1) a plain full forward with the same transforms and (2) the
    log-probs of the distributions the sampler actually drew each action from, at T != 1 too."""
    model, tok, spec = tiny
    torch.manual_seed(1)
    cfg = SamplerConfig(mode, 6, temperature, conf_temperature)
    r = sample_rollouts(model, tok, spec, _prompts(tok, mode), 3, cfg)
    with torch.no_grad():
        fast = completion_logprobs(model, r, spec)
        ref = _full_sequence_logprobs(model, r, spec)
    assert torch.allclose(fast, ref, atol=1e-4), (fast - ref).abs().max()
    actions = r.kinds != FORCED
    assert actions.any()
    assert torch.allclose(fast[actions], r.sample_logprobs[actions], atol=1e-4), \
        (fast[actions] - r.sample_logprobs[actions]).abs().max()
    if mode == "constrained":  # the digit log-prob is the sampler's own digit distribution
        digit = (r.confidences * 10 - 0.5).round().long()
        expect = r.conf_probs.gather(1, digit[:, None]).squeeze(1).log()
        assert torch.allclose(fast[r.kinds == CONF_TOKEN], expect, atol=1e-4)


def test_digit_distribution_matches_sampler_probs(tiny):
    model, tok, spec = tiny
    torch.manual_seed(2)
    r = sample_rollouts(model, tok, spec, _prompts(tok), 2, SamplerConfig("constrained", 5, 0.3, 0.5))
    with torch.no_grad():
        lp, digit_lp = completion_logprobs(model, r, spec, digit_dist=True)
    assert digit_lp.shape == (4, 10)
    assert torch.allclose(digit_lp.exp(), r.conf_probs, atol=1e-5)


def test_greedy_is_deterministic(tiny):
    model, tok, spec = tiny
    a = sample_rollouts(model, tok, spec, _prompts(tok), 1, SamplerConfig("constrained", 5, 0.0))
    b = sample_rollouts(model, tok, spec, _prompts(tok), 1, SamplerConfig("constrained", 5, 0.0))
    assert a.texts == b.texts and torch.equal(a.confidences, b.confidences)


def test_completion_logprobs_has_grad_through_lora(tiny_model_dir):
    from calibmodule.models import LoraConfig

    tok = load_tokenizer(tiny_model_dir)
    model = load_policy(tiny_model_dir, LoraConfig(r=2, alpha=4))
    spec = TokenSpec.from_tokenizer(tok, model.config.vocab_size)
    r = sample_rollouts(model, tok, spec, _prompts(tok), 2, SamplerConfig("constrained", 4))
    completion_logprobs(model, r, spec).sum().backward()
    grads = [p.grad for n, p in model.named_parameters() if "lora_" in n]
    assert grads and all(g is not None for g in grads)
    assert any(g.abs().sum() > 0 for g in grads)


def test_truncated_flags_answers_that_hit_the_budget(tiny):
    model, tok, spec = tiny
    torch.manual_seed(0)
    r = sample_rollouts(model, tok, spec, _prompts(tok), 4, SamplerConfig("constrained", 2))
    answer = r.kinds == ANSWER_TOKEN
    ended_itself = (answer & spec.newline_like[r.completion_ids]).any(1)  # the policy chose the newline
    assert torch.equal(r.truncated, ~ended_itself)
    assert (answer.sum(1)[r.truncated] == 2).all()
    assert r.truncated.any()  # a random tiny model rarely stops within 2 tokens


@pytest.mark.parametrize("field,value", [("max_answer_tokens", 0), ("temperature", -1.0),
                                         ("confidence_temperature", -0.5), ("mode", "json")])
def test_sampler_config_rejects_bad_values(field, value):
    kwargs = {"mode": "constrained", "max_answer_tokens": 4, field: value}
    with pytest.raises(ValueError, match=field if field != "mode" else "confidence_mode"):
        SamplerConfig(**kwargs)


def test_confidence_head_is_a_no_op_at_init_and_consistent_between_sampler_and_logprobs(tiny):
    from calibmodule.sampling import ConfidenceHead

    model, tok, spec = tiny
    cfg = SamplerConfig("constrained", 4, 0.3, 0.5)
    head = ConfidenceHead(model.config.hidden_size)
    torch.manual_seed(3)
    plain = sample_rollouts(model, tok, spec, _prompts(tok), 2, cfg)
    torch.manual_seed(3)
    zero = sample_rollouts(model, tok, spec, _prompts(tok), 2, cfg, conf_head=head)
    assert torch.equal(plain.completion_ids, zero.completion_ids)  # zero-initialised: the unchanged model
    assert torch.allclose(plain.conf_probs, zero.conf_probs, atol=1e-6)
    torch.nn.init.normal_(head.proj.weight, std=0.5)
    torch.nn.init.normal_(head.lik.weight, std=0.5)
    torch.manual_seed(4)
    r = sample_rollouts(model, tok, spec, _prompts(tok), 2, cfg, conf_head=head)
    feats = {}
    with torch.no_grad():
        _, digit_lp = completion_logprobs(model, r, spec, digit_dist=True, conf_head=head, features=feats)
    assert not torch.allclose(r.conf_probs, zero.conf_probs[: len(r.conf_probs)], atol=1e-3)  # the head matters
    assert torch.allclose(digit_lp.exp(), r.conf_probs, atol=1e-5)  # and both passes agree on it
    z = feats["lm_digits"] + head(feats["hidden"], feats["answer_feats"])
    assert torch.allclose(torch.log_softmax(z / 0.5, -1), digit_lp, atol=1e-5)  # replay rows rebuild it exactly


@pytest.mark.parametrize("temperature", [0.0, 0.7])
def test_answer_features_are_the_answers_own_untempered_logprobs(tiny, temperature):
    """What the head reads: mean and min of the answer tokens' log-probs under the untempered policy (the
    end-of-answer newline included, end-of-turn mass merged into it) and the count / 10, whatever the
    sampling temperature; checked against a full-sequence forward pass."""
    import dataclasses

    from calibmodule.sampling import ConfidenceHead

    model, tok, spec = tiny
    cfg = SamplerConfig("constrained", 5, temperature, 0.5)
    r = sample_rollouts(model, tok, spec, _prompts(tok), 3, cfg, conf_head=ConfidenceHead(model.config.hidden_size),
                        generator=torch.Generator().manual_seed(0))
    with torch.no_grad():  # log-probs at temperature 1 of the same tokens = the untempered ones
        lp = _full_sequence_logprobs(model, dataclasses.replace(r, sampler=SamplerConfig("constrained", 5, 1.0)), spec)
    ans = r.kinds == ANSWER_TOKEN
    n = ans.sum(1)
    assert (n > 0).all()
    want = torch.stack([(lp * ans).sum(1) / n, torch.where(ans, lp, torch.inf).min(1).values, n / 10], -1)
    assert torch.allclose(r.answer_feats, want, atol=1e-4), (r.answer_feats - want).abs().max()
    assert r.answer_feats[:, 2].unique().numel() >= 1 and (r.answer_feats[:, :2] <= 0).all()


def test_confidence_head_without_answer_features_reads_the_hidden_state_only(tiny):
    from calibmodule.sampling import ConfidenceHead

    model, tok, spec = tiny
    head = ConfidenceHead(model.config.hidden_size, answer_features=False)
    assert head.lik is None and sum(p.numel() for p in head.parameters()) == 10 * (model.config.hidden_size + 1)
    r = sample_rollouts(model, tok, spec, _prompts(tok), 2, SamplerConfig("constrained", 3), conf_head=head)
    assert r.answer_feats is not None and torch.isfinite(r.conf_probs).all()


def test_lm_grad_zero_sends_no_confidence_gradient_into_the_model(tiny_model_dir):
    from calibmodule.models import LoraConfig
    from calibmodule.sampling import ConfidenceHead

    tok = load_tokenizer(tiny_model_dir)
    model = load_policy(tiny_model_dir, LoraConfig(r=2, alpha=4))
    spec = TokenSpec.from_tokenizer(tok, model.config.vocab_size)
    head = ConfidenceHead(model.config.hidden_size)
    r = sample_rollouts(model, tok, spec, _prompts(tok), 2, SamplerConfig("constrained", 3), conf_head=head)
    for lm_grad, expect_model_grad in ((0.0, False), (1.0, True)):
        model.zero_grad(set_to_none=True)
        head.zero_grad(set_to_none=True)
        _, digit_lp = completion_logprobs(model, r, spec, digit_dist=True, conf_head=head, lm_grad=lm_grad)
        digit_lp[:, 0].sum().backward()
        lora = [p.grad for n, p in model.named_parameters() if "lora_" in n]
        got = any(g is not None and g.abs().sum() > 0 for g in lora)
        assert got is expect_model_grad
        assert head.proj.weight.grad is not None and head.proj.weight.grad.abs().sum() > 0


@pytest.mark.parametrize("frozen", [False, True])
@pytest.mark.parametrize("mult,softcap,chunk", [(1.0, None, 3), (0.5, None, 64), (1.0, 2.0, 4), (0.5, 2.0, 3)])
def test_chunked_head_logprobs_match_plain_autograd(mult, softcap, chunk, frozen):
    """Values and gradients (hidden, and weight unless frozen as under LoRA, where backward uses the
    stored expectation instead of recomputing logits) of the chunked output-layer log-softmax equal a
    plain full-logits computation, with logit scaling and softcapping."""
    from calibmodule.logprobs import head_logprobs
    from calibmodule.sampling import LMParts

    g = torch.Generator().manual_seed(0)
    N, D, V = 7, 5, 11
    head = torch.nn.Linear(D, V, bias=False)
    with torch.no_grad():
        head.weight.copy_(torch.randn(V, D, generator=g))
    head.weight.requires_grad_(not frozen)
    hid = torch.randn(N, D, generator=g, requires_grad=True)
    tgt = torch.randint(0, V, (N,), generator=g)
    cols = torch.tensor([1, 4, 9])
    lm = LMParts(decoder=None, head=head, ckw="cache", logit_mult=mult, softcap=softcap)
    w_lp, w_cols = torch.randn(N, generator=g), torch.randn(N, 3, generator=g)

    lp, at = head_logprobs(lm, hid, tgt, cols, temperature=0.3, chunk=chunk)
    (lp * w_lp).sum().add((at * w_cols).sum()).backward()
    got = [lp.detach(), at.detach(), hid.grad.clone()] + ([] if frozen else [head.weight.grad.clone()])
    hid.grad, head.weight.grad = None, None

    z = lm.logits(hid)  # plain: full logits with autograd
    ref_lp = torch.log_softmax(z / 0.3, -1).gather(-1, tgt[:, None]).squeeze(-1)
    (ref_lp * w_lp).sum().add((z[:, cols] * w_cols).sum()).backward()
    want = [ref_lp.detach(), z[:, cols].detach(), hid.grad] + ([] if frozen else [head.weight.grad])
    assert head.weight.grad is None if frozen else head.weight.grad is not None
    for a, b in zip(got, want, strict=True):
        assert torch.allclose(a, b, atol=1e-5), (a - b).abs().max()


def test_sampling_weights_fold_the_adapter_and_restore_every_weight_exactly(tiny_model_dir):
    """Rollouts drawn from the folded snapshot have the LoRA policy's log-probs (the adapter is really in
    them), and afterwards every parameter is the same tensor, bit for bit, in its own dtype."""
    from calibmodule.models import LoraConfig, sampling_weights

    tok = load_tokenizer(tiny_model_dir)
    model = load_policy(tiny_model_dir, LoraConfig(r=4, alpha=8)).eval()
    spec = TokenSpec.from_tokenizer(tok, model.config.vocab_size)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "lora_B" in name:
                p.normal_(0, 0.5)  # a trained-looking adapter (B = 0 would make folding a no-op)
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    torch.manual_seed(3)
    cfg = SamplerConfig("constrained", 6, 0.7)
    with sampling_weights(model):
        r = sample_rollouts(model, tok, spec, _prompts(tok), 3, cfg)
    for n, p in model.named_parameters():
        assert p.dtype == before[n].dtype and torch.equal(p, before[n]), n
    with torch.no_grad():
        lp = completion_logprobs(model, r, spec)  # the unfolded LoRA model
        with model.disable_adapter():
            lp_base = completion_logprobs(model, r, spec)
    act = r.kinds != FORCED
    assert torch.allclose(lp[act], r.sample_logprobs[act], atol=1e-4), (lp - r.sample_logprobs)[act].abs().max()
    assert not torch.allclose(lp_base[act], r.sample_logprobs[act], atol=1e-2)

    with sampling_weights(model, torch.bfloat16):  # a bf16 snapshot: runs, and restores fp32 weights
        assert next(model.parameters()).dtype == torch.bfloat16
        sample_rollouts(model, tok, spec, _prompts(tok), 2, cfg)
    for n, p in model.named_parameters():
        assert p.dtype == torch.float32 and torch.equal(p, before[n]), n


def test_activation_checkpointing_gives_the_same_logprobs_and_gradients(tiny_model_dir):
    from calibmodule.models import LoraConfig

    tok = load_tokenizer(tiny_model_dir)
    model = load_policy(tiny_model_dir, LoraConfig(r=4, alpha=8)).train()
    spec = TokenSpec.from_tokenizer(tok, model.config.vocab_size)
    torch.manual_seed(0)
    r = sample_rollouts(model, tok, spec, _prompts(tok), 3, SamplerConfig("constrained", 5, 0.7))
    got = []
    P = r.prompt_ids.shape[1]
    # the last two: a token budget so small that each prompt and each rollout row is a pass of its own
    for ckpt, budget in ((False, 256), (True, 256), (True, P)):
        model.zero_grad()
        lp, dl = completion_logprobs(model, r, spec, digit_dist=True, rows_per_chunk=2, checkpoint=ckpt,
                                     checkpoint_tokens=budget)
        (lp.sum() + dl[:, 3].sum()).backward()
        got.append((lp.detach(), {n: p.grad.clone() for n, p in model.named_parameters() if p.grad is not None}))
    for other in got[1:]:
        assert torch.allclose(got[0][0], other[0], atol=1e-6)
        assert got[0][1].keys() == other[1].keys() and got[0][1]
        assert all(torch.allclose(got[0][1][k], other[1][k], atol=1e-6) for k in got[0][1])


def test_chunks_respect_rows_and_token_budget():
    from calibmodule.logprobs import _chunks

    lengths = torch.tensor([5, 1, 9, 3, 3, 12, 2])
    order = torch.argsort(lengths, stable=True)
    for rows, tokens in ((16, None), (2, None), (16, 12), (3, 10), (16, 1)):
        chunks = _chunks(order, lengths, rows, tokens)
        assert torch.equal(torch.cat(chunks), order)  # every row once, in order
        for c in chunks:
            assert 1 <= len(c) <= rows
            if tokens is not None and len(c) > 1:
                assert len(c) * int(lengths[c].max()) <= tokens
    assert [len(c) for c in _chunks(order, lengths, 16, 12)] == [4, 1, 1, 1]  # 1,2,3,3 (4x3) | 5 | 9 | 12


def test_shared_prefill_gives_the_same_rollouts_logprobs_and_gradients(tiny_model_dir):
    """The training step runs the prompts' pass once with grad and lets the sampler reuse it detached:
    rollouts (same generator), the recorded sampler log-probs, the log-prob pass and its gradients are
    those of the unshared path."""
    from calibmodule.logprobs import prompt_prefill
    from calibmodule.models import LoraConfig
    from calibmodule.sampling import encode_prompts

    tok = load_tokenizer(tiny_model_dir)
    model = load_policy(tiny_model_dir, LoraConfig(r=4, alpha=8)).train()
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "lora_B" in name:
                p.normal_(0, 0.3)
    spec = TokenSpec.from_tokenizer(tok, model.config.vocab_size)
    cfg = SamplerConfig("constrained", 6, 0.7, 0.5)
    prompts = _prompts(tok)
    got = []
    for shared in (False, True):
        model.zero_grad()
        pre = prompt_prefill(model, *encode_prompts(tok, prompts, "cpu")) if shared else None
        r = sample_rollouts(model, tok, spec, prompts, 3, cfg, generator=torch.Generator().manual_seed(1),
                            prefill=pre)
        lp, dl = completion_logprobs(model, r, spec, digit_dist=True, prefill=pre)
        (lp.sum() + dl[:, 4].sum()).backward()
        grads = {n: p.grad.clone() for n, p in model.named_parameters() if p.grad is not None}
        got.append((r, lp.detach(), grads))
    (a, lp_a, g_a), (b, lp_b, g_b) = got
    assert torch.equal(a.completion_ids, b.completion_ids) and torch.equal(a.prompt_ids, b.prompt_ids)
    assert torch.allclose(a.sample_logprobs, b.sample_logprobs, atol=1e-5)
    assert torch.allclose(lp_a, lp_b, atol=1e-6) and torch.allclose(lp_b, b.sample_logprobs, atol=1e-4)
    assert g_a.keys() == g_b.keys() and any("lora_A" in k for k in g_a)
    assert all(torch.allclose(g_a[k], g_b[k], atol=1e-6) for k in g_a)


@pytest.mark.parametrize("room", [0, 1, 64])
def test_reserved_kv_cache_decodes_like_the_concatenating_one(tiny, monkeypatch, room):
    """The in-place cache (room for the whole answer, or too little so it must grow) gives the same tokens
    and log-probs as transformers' concatenating DynamicLayer, with rows dropped as they finish."""
    import calibmodule.kvcache as kvcache
    import calibmodule.sampling as sampling

    import dataclasses

    model, tok, spec = tiny
    spec = dataclasses.replace(spec, stop_ids=list(range(0, model.config.vocab_size, 5)))  # rows stop early, at random
    cfg = SamplerConfig("tags", 7, 1.0)
    runs = []
    monkeypatch.setattr(sampling, "supports_shared_prefix", lambda model: False)  # the repeated-cache path
    for reserve in (lambda cache, tokens: cache, lambda cache, tokens: kvcache.reserve(cache, room)):
        monkeypatch.setattr(sampling, "reserve", reserve)
        runs.append(sample_rollouts(model, tok, spec, _prompts(tok, "tags"), 5, cfg,
                                    generator=torch.Generator().manual_seed(3)))
    plain, reserved = runs
    assert torch.equal(plain.completion_ids, reserved.completion_ids)
    assert torch.equal(plain.completion_mask, reserved.completion_mask)
    assert torch.allclose(plain.sample_logprobs, reserved.sample_logprobs, atol=1e-6)
    assert plain.completion_mask.sum(1).unique().numel() > 1  # rows did finish at different lengths


@pytest.mark.parametrize("mode", ["tags", "constrained"])
def test_shared_prompt_attention_decodes_like_the_repeated_cache(tiny, monkeypatch, mode):
    """On CPU the N rollouts of a prompt read one copy of its keys/values (kvcache.SharedPrefix, attention in
    two parts merged by log-sum-exp): same tokens and log-probs as repeating the prompt's cache N times, with
    left-padded prompts of different lengths and rows dropped as they finish."""
    import dataclasses

    import calibmodule.kvcache as kvcache
    import calibmodule.sampling as sampling

    model, tok, spec = tiny
    assert kvcache.supports_shared_prefix(model)
    spec = dataclasses.replace(spec, stop_ids=list(range(0, model.config.vocab_size, 5)))  # rows stop early, at random
    cfg = SamplerConfig(mode, 7, 1.0)
    calls = []
    attend = kvcache.shared_prefix_attention
    monkeypatch.setattr(kvcache, "shared_prefix_attention", lambda *a, **k: calls.append(1) or attend(*a, **k))
    kvcache._register()
    runs = []
    for shared in (False, True):
        monkeypatch.setattr(sampling, "supports_shared_prefix", lambda model, s=shared: s)
        runs.append(sample_rollouts(model, tok, spec, _prompts(tok, mode), 5, cfg,
                                    generator=torch.Generator().manual_seed(3)))
    plain, shared = runs
    assert calls and len(calls) % model.config.num_hidden_layers == 0  # every layer, every step, shared run only
    assert torch.equal(plain.completion_ids, shared.completion_ids)
    assert torch.equal(plain.completion_mask, shared.completion_mask)
    assert torch.allclose(plain.sample_logprobs, shared.sample_logprobs, atol=1e-5)
    assert plain.completion_mask.sum(1).unique().numel() > 1  # rows did finish at different lengths
    ids, mask = sampling.encode_prompts(tok, _prompts(tok, mode), "cpu")
    assert (mask == 0).any()  # the prompts were left-padded
    assert model.config._attn_implementation != kvcache.SHARED_PREFIX_ATTENTION  # restored


@pytest.mark.parametrize("drops", [[], [[0, 1, 5, 6, 7, 11]], [[0, 1, 2, 5, 6, 7, 9, 11], [0, 1, 3, 4, 5, 7]]],
                         ids=["all-rows", "rows-dropped", "dropped-twice"])
def test_shared_prompt_attention_matches_sdpa_on_random_tensors(drops):
    """The two-part attention equals SDPA over [repeated prompt keys; the row's own keys] (GQA, padding),
    with every row decoding and after finished rows were dropped (once, or in two steps)."""
    from types import SimpleNamespace

    import calibmodule.kvcache as kvcache

    g = torch.Generator().manual_seed(0)
    B, n, KV, H, P, t, D = 3, 4, 2, 6, 5, 3, 8
    k_pre, v_pre = torch.randn(B, KV, P, D, generator=g), torch.randn(B, KV, P, D, generator=g)
    pmask = torch.ones(B, P, dtype=torch.bool)
    pmask[0, :2] = False  # left padding
    prefix = kvcache.SharedPrefix([(k_pre, v_pre)], pmask, n)
    for idx in drops:  # rows left: some of every prompt
        prefix.select(torch.tensor(idx))
    rows = prefix.rows if prefix.rows is not None else torch.arange(B * n)
    if len(drops) == 2:
        assert rows.tolist() == [0, 1, 5, 6, 7, 11]
    R = len(rows)
    q, k, v = torch.randn(R, H, 1, D, generator=g), torch.randn(R, KV, t, D, generator=g), torch.randn(R, KV, t, D, generator=g)
    pr = rows // n
    keys = torch.cat([k_pre[pr], k], 2).repeat_interleave(H // KV, 1)
    values = torch.cat([v_pre[pr], v], 2).repeat_interleave(H // KV, 1)
    m = torch.cat([pmask[pr], torch.ones(R, t, dtype=torch.bool)], 1)[:, None, None, :]
    want = torch.nn.functional.scaled_dot_product_attention(q, keys, values, attn_mask=m).transpose(1, 2)
    kvcache._active.append(prefix)
    try:
        got, _ = kvcache.shared_prefix_attention(SimpleNamespace(layer_idx=0), q, k, v, None, scaling=D**-0.5)
    finally:
        kvcache._active.pop()
    assert got.shape == (R, 1, H, D) and torch.allclose(got, want, atol=1e-5)


def test_output_logits_blocked_equals_the_plain_matmul(monkeypatch):
    """The CPU output layer computed in blocks of rows (kernel-speed path) gives h @ wᵀ + b, as a (M, V) view;
    with autograd through it, the plain matmul (gradients flow)."""
    from calibmodule import sampling

    monkeypatch.setattr(sampling, "OUTPUT_BLOCK", 16)
    g = torch.Generator().manual_seed(0)
    h, w, b = torch.randn(5, 8, generator=g), torch.randn(100, 8, generator=g), torch.randn(100, generator=g)
    for bias in (None, b):
        got = sampling.output_logits(h, w, bias)
        want = torch.nn.functional.linear(h, w, bias)
        assert got.shape == (5, 100) and torch.allclose(got, want, atol=1e-5)
    assert sampling.output_logits(h, w).stride() == (1, 5)  # blocked: the (V, M) buffer, transposed
    hg = h.clone().requires_grad_()
    out = sampling.output_logits(hg, w)
    out.sum().backward()
    assert torch.allclose(hg.grad, w.sum(0).expand(5, 8))


def test_lm_parts_logits_match_the_output_layer_and_respect_its_hooks(monkeypatch):
    """The decoding logits (blocked matmul on CPU) equal the head module's own output; a head with a
    forward hook (e.g. accelerate's offloading) is called as a module, so its hook runs."""
    from calibmodule import sampling

    monkeypatch.setattr(sampling, "OUTPUT_BLOCK", 16)
    head = torch.nn.Linear(8, 100, bias=False)
    parts = sampling.LMParts(decoder=torch.nn.Identity(), head=head, ckw="cache")
    h = torch.randn(6, 8)
    with torch.no_grad():
        got = parts.logits(h)
        assert got.is_contiguous() and torch.allclose(got, head(h), atol=1e-5)
        calls = []
        head.register_forward_hook(lambda *a: calls.append(1))
        parts.logits(h)
    assert calls == [1]


def test_packed_linears_match_plain_linear_and_restore_the_modules(monkeypatch):
    """oneDNN-prepacked layers give F.linear's output (float order aside) on 2-D and 3-D inputs, with and
    without bias; a call that needs autograd takes the plain path; on exit the modules are as before."""
    from calibmodule import cpu_linear

    if not cpu_linear.available():
        pytest.skip("oneDNN prepacked linear not available on this build")
    torch.manual_seed(0)
    big, nobias, small = torch.nn.Linear(96, 80), torch.nn.Linear(80, 64, bias=False), torch.nn.Linear(4, 4)
    net = torch.nn.ModuleList([big, nobias, small])
    x, x2, xs = torch.randn(3, 5, 96), torch.randn(7, 80), torch.randn(2, 4)
    with torch.no_grad():
        want = [big(x), nobias(x2), small(xs)]
    with cpu_linear.packed_linears(net):
        assert [hasattr(m, cpu_linear.PACKED_ATTR) for m in net] == [True, True, False]  # 16 weights: too small
        with torch.no_grad():
            got = [big(x), nobias(x2), small(xs)]
        assert all(g.shape == w.shape and torch.allclose(g, w, atol=1e-5) for g, w in zip(got, want))
        xg = x.clone().requires_grad_()
        out = big(xg)  # grad mode: the plain path, differentiable
        out.sum().backward()
        assert torch.allclose(xg.grad, big.weight.detach().sum(0).expand_as(x), atol=1e-5) and torch.allclose(out.detach(), want[0], atol=1e-5)
    assert all("forward" not in m.__dict__ and not hasattr(m, cpu_linear.PACKED_ATTR) for m in net)
    monkeypatch.setattr(cpu_linear, "_AVAILABLE", False)  # not available: nothing is touched
    with cpu_linear.packed_linears(net):
        assert not any("forward" in m.__dict__ for m in net)


def test_sampling_on_prepacked_weights_gives_the_same_rollouts(tiny, monkeypatch):
    """``sampling_weights(prepack=True)``: the sampler's tokens and confidences are those of the plain
    weights (same seed) on the tiny model, with every decoder layer and the output layer prepacked."""
    from calibmodule import cpu_linear
    from calibmodule.models import sampling_weights

    if not cpu_linear.available():
        pytest.skip("oneDNN prepacked linear not available on this build")
    monkeypatch.setattr(cpu_linear, "MIN_PARAMS", 1)
    model, tok, spec = tiny
    outs = []
    for prepack in (False, True):
        with sampling_weights(model, prepack=prepack):
            packed = [m for m in model.modules() if hasattr(m, cpu_linear.PACKED_ATTR)]
            assert bool(packed) == prepack and (not prepack or len(packed) == 2 * 7 + 1)
            r = sample_rollouts(model, tok, spec, _prompts(tok), 3, SamplerConfig("constrained", 6, temperature=0.7),
                                generator=torch.Generator().manual_seed(0))
        outs.append(r)
    a, b = outs
    assert torch.equal(a.completion_ids, b.completion_ids) and torch.equal(a.kinds, b.kinds)
    assert torch.allclose(a.conf_probs, b.conf_probs, atol=1e-5)
    assert not any(hasattr(m, cpu_linear.PACKED_ATTR) for m in model.modules())


def test_confidence_head_dropout_drops_normalised_hidden_entries_only():
    """Hand-computed: z = W·(rms(h)·mask/(1-p)) + b + U·f, the mask a Bernoulli(1-p) draw per entry; p = 0 is the
    plain head, and the answer features are never dropped."""
    from calibmodule.sampling import ConfidenceHead

    torch.manual_seed(0)
    head = ConfidenceHead(8)
    for w in head.parameters():
        torch.nn.init.normal_(w)
    h, f = torch.randn(5, 8), torch.randn(5, 3)
    n = h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + 1e-6)
    with torch.no_grad():
        assert torch.equal(head(h, f, dropout=0.0), head(h, f))
        assert torch.allclose(head(h, f), n @ head.proj.weight.T + head.proj.bias + f @ head.lik.weight.T, atol=1e-5)
        z = head(h, f, dropout=0.5, generator=torch.Generator().manual_seed(1))
        mask = (torch.rand(5, 8, generator=torch.Generator().manual_seed(1)) >= 0.5) * 2.0  # the same draw
        assert set(mask.unique().tolist()) == {0.0, 2.0}
        want = (n * mask) @ head.proj.weight.T + head.proj.bias + f @ head.lik.weight.T
        assert torch.allclose(z, want, atol=1e-5)
        assert not torch.allclose(z, head(h, f), atol=1e-3)


def test_a_sentencepiece_tokenizer_reads_newline_digits_and_scaffold_where_they_stand(sentencepiece_model_dir):
    """Llama 2 / Mistral tokenizers write "5" alone as "▁", "5": the ids are read in context, so the constrained
    completion is the one the tokenizer itself would write, and sampling, parsing and log-probs agree."""
    tok = load_tokenizer(sentencepiece_model_dir)
    model = load_policy(sentencepiece_model_dir, lora=None).eval()
    assert len(tok.encode("5", add_special_tokens=False)) == 2  # the case this covers
    spec = TokenSpec.from_tokenizer(tok, model.config.vocab_size)
    a = tok.encode("a", add_special_tokens=False)
    for d in range(10):
        assert tok.encode(f"a\nConfidence: {d}", add_special_tokens=False) == [*a, spec.newline_id, *spec.scaffold_ids,
                                                                              spec.digit_ids[d]]
    torch.manual_seed(0)
    cfg = SamplerConfig("constrained", 4, 0.3, 0.5)
    r = sample_rollouts(model, tok, spec, _prompts(tok), 3, cfg)
    assert all("\nConfidence: " in t for t in r.texts)
    assert torch.isfinite(r.confidences).all() and ((r.kinds == CONF_TOKEN).sum(1) == 1).all()
    with torch.no_grad():
        fast = completion_logprobs(model, r, spec)
    actions = r.kinds != FORCED
    assert torch.allclose(fast[actions], r.sample_logprobs[actions], atol=1e-4)
