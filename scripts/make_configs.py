"""Regenerate the RL presets in configs/ from one template (they differ only in reward and
callbacks). Run after changing the template: python scripts/make_configs.py"""

from pathlib import Path

TEMPLATE = """\
# {title}
# python -m calibmodule fit --config configs/{name}.yaml
seed_everything: 0
trainer:
  accelerator: cpu
  devices: 1
  max_steps: 30
  val_check_interval: 15
  check_val_every_n_epoch: null
  num_sanity_val_steps: 0
  gradient_clip_val: 1.0
  log_every_n_steps: 1
  callbacks:
{stability}    - class_path: lightning.pytorch.callbacks.ModelCheckpoint
      init_args: {{save_last: true, every_n_train_steps: 5}}
    - class_path: callbacks.exception_checkpoint.CheckpointOnException
    - class_path: callbacks.reliability.ReliabilityDiagram
    - class_path: callbacks.report.CalibrationReport
    - class_path: callbacks.export.ExportAdapter
      init_args: {{merged: false}}
model:
  class_path: calibmodule.rl.RLCalibrationModule
  init_args:
    model: smollm2-135m-instruct
    lora: {{r: 8, alpha: 16, target_modules: [q_proj, k_proj, v_proj, o_proj]}}
    confidence_mode: constrained
    reward: {reward}
    num_rollouts: 8
    max_answer_tokens: 12
    temperature: {temperature}
    confidence_temperature: 1.0
    advantage_scale: none
    lr: 2.0e-4
data:
  class_path: datamodules.qa.QADataModule
  init_args:
    source: world_facts
    batch_size: 8
    eval_batch_size: 50
    max_val: 200
    max_test: 400
    seed: 0
"""
STAB = """    - class_path: callbacks.stability.StabilityCallback
      init_args: {method: string}
"""
PRESETS = {
    "default": ("Default: RLCR reward (correctness + Brier) on the embedded SmolLM2-135M-Instruct + world facts, LoRA, CPU.",
                "{correctness: 1.0, brier_correct: 1.0}", STAB),
    "rlcr": ("RLCR (Damani et al.): reward = correctness + (1 - (c - correct)^2).",
             "{correctness: 1.0, brier_correct: 1.0}", STAB),
    "brier_only": ("Blog condition 100/0: reward = Brier vs correctness only (stability logged, not rewarded).",
                   "{correctness: 0.0, brier_correct: 1.0}", STAB),
    "stability_mix": ("Blog condition 50/50: reward = 0.5 Brier vs correctness + 0.5 Brier vs on-policy stability.",
                      "{correctness: 0.0, brier_correct: 0.5, brier_stability: 0.5}", STAB),
    "stability_only": ("Blog condition 0/100: reward = Brier vs stability only. Known to drift: nothing ties stability\n"
                       "# to correctness, so the policy can become consistently wrong and confident.",
                       "{correctness: 0.0, brier_correct: 0.0, brier_stability: 1.0}", STAB),
}

if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1] / "configs"
    for name, (title, reward, stab) in PRESETS.items():
        # answers sampled near-greedy (0.3) where stability is not rewarded: evaluation reads greedy
        # answers, so the confidence is learned for answers like those; stability needs diverse answers (0.7).
        temperature = 0.7 if name.startswith("stability") else 0.3
        (root / f"{name}.yaml").write_text(TEMPLATE.format(title=title, name=name, reward=reward, stability=stab,
                                                           temperature=temperature))
