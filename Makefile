# SIOPS Workbench — comandos principais (veja README.md)
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
SIOPS  := $(VENV)/bin/siops
PYTEST_ARGS ?=

# o município de exemplo: dados gerados e a raiz das saídas (<raiz>/<município>/<exercício>/b<bimestre>/)
EXEMPLO_GERADO ?= dados_exemplo/gerado
EXEMPLO_DADOS  := $(EXEMPLO_GERADO)/layout_proprio
EXEMPLO_SAIDA  ?= relatorios/gerados

.PHONY: ambiente exemplo exemplo-calcular exemplo-relatorio exemplo-envio test benchmark limpar

$(VENV)/.instalado: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

ambiente: $(VENV)/.instalado ## cria o ambiente virtual e instala tudo

# gera os dados e confirma as sugestões; depois, o cálculo dos 6 bimestres e o envio do 6º (com o relatório)
# rodam ao mesmo tempo (leem os mesmos dados e gravam arquivos diferentes; a saída de cada um sai inteira)
exemplo: ambiente ## gera o município de exemplo, calcula e grava os resultados
	$(SIOPS) exemplo --saida $(EXEMPLO_GERADO)
	$(SIOPS) equivalencias confirmar-sugestoes --dados $(EXEMPLO_DADOS) --quem "demonstração automática"
	@$(MAKE) --no-print-directory -j2 --output-sync=target EXEMPLO_GERADO=$(EXEMPLO_GERADO) \
	  EXEMPLO_SAIDA=$(EXEMPLO_SAIDA) exemplo-calcular exemplo-envio

exemplo-calcular: ## (parte do make exemplo) CSV e XLSX de todos os bimestres
	$(SIOPS) calcular --dados $(EXEMPLO_DADOS) --saida $(EXEMPLO_SAIDA)

exemplo-relatorio: ## o relatório do consolidado do 6º bimestre pelo notebook parametrizado (papermill), com o notebook executado
	$(SIOPS) relatorios --dados $(EXEMPLO_DADOS) --bimestres 6 --entidades consolidado --saida $(EXEMPLO_SAIDA)

exemplo-envio: ## (parte do make exemplo) o envio do 6º bimestre (.IMPT, fichas, relatório, dados abertos)
	$(SIOPS) bimestre --dados $(EXEMPLO_DADOS) --bimestre 6 --saida $(EXEMPLO_SAIDA)

test: ambiente ## roda todos os testes (pytest sai com 5 quando não há testes: tratado como falha)
	@$(PY) -m pytest -n 2 --dist loadfile $(PYTEST_ARGS); rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "Nenhum teste foi coletado."; fi; exit $$rc

benchmark: ambiente ## mede leitura, cálculo, equivalências, relatórios e importação (não faz parte dos testes)
	$(PY) benchmarks/bench_nucleo.py
	$(PY) benchmarks/bench_equivalencias.py
	$(PY) benchmarks/bench_relatorios.py
	$(PY) benchmarks/bench_importacao.py

limpar:
	rm -rf dados_exemplo/gerado relatorios/gerados benchmarks/dados .pytest_cache
