from django.core.management.base import BaseCommand

from xietong.transfer import evaluation


class Command(BaseCommand):
    help = "离线评估推荐：以用户反馈（有用/已联系=相关，不相关=不相关）为标注，用当前索引重新排序并计算指标。"

    def add_arguments(self, parser):
        parser.add_argument("--k", type=int, default=10)

    def handle(self, *args, k=10, **options):
        result = evaluation.offline_evaluate(k=k)
        self.stdout.write(f"查询数 {result['queries']}，已标注推荐 {result['judged']} 条")
        for name in ("precision_at_k", "mrr", "ndcg_at_k"):
            self.stdout.write(f"{name}: {result[name]:.4f}")
        self.stdout.write("在线指标（按名次）：名次 展示 点击率 有用率 联系率")
        for row in result["online"]:
            self.stdout.write(
                f"{row['rank']:>4} {row['shown']:>6} {row['click_rate']:.3f} {row['useful_rate']:.3f} {row['contact_rate']:.3f}"
            )
